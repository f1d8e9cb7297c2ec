package org.e2enet.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {
    /** Records, as text, what each step reads: the wiring of docs/network.md#topology. */
    private static final class Trace implements Topology.Visitor<String> {
        final List<String> visited = new ArrayList<>();

        @Override
        public String unit(Layer unit, String x) {
            visited.add(unit.weightName());
            return "U(" + x + ")";
        }

        @Override
        public String fuse(Topology.Fusion node, String same, String below, String above) {
            visited.add(node.up().weightName());
            visited.add(node.conv().weightName());
            return "x" + node.i() + node.j();
        }

        @Override
        public String head(Layer head, String x) {
            visited.add(head.weightName());
            return head.prefix() + "<-" + x;
        }
    }

    @Test
    void thePapersNetworkHas51LayersVisitedInTheLayerTablesOrder() {
        ModelSpec amos = Presets.get("amos");
        Trace t = new Trace();
        List<String> heads = amos.topology().walk("image", t, amos.pools() - 1);
        assertEquals(51, amos.layers().size());
        assertEquals(amos.layers().all().stream().map(Layer::weightName).toList(), t.visited);
        // heads on x_{h,P-h}; the last diagonal has a second Unit
        assertEquals(List.of("seg_outputs.0<-U(x05)", "seg_outputs.1<-U(x14)", "seg_outputs.2<-U(x23)", "seg_outputs.3<-U(x32)"), heads);
    }

    @Test
    void fusionNodesReadSameBelowAndAboveInThatOrder() {
        ModelSpec amos = Presets.get("amos");
        List<String> reads = new ArrayList<>();
        amos.topology().walk("image", new Topology.Visitor<String>() {
            @Override
            public String unit(Layer unit, String x) {
                return unit.kind() == LayerKind.ENCODER_CONV ? "e" + unit.level() : x;
            }

            @Override
            public String fuse(Topology.Fusion node, String same, String below, String above) {
                if (node.i() == 0) {
                    assertNull(above);
                    assertNull(node.abovePool());
                }
                reads.add(node.i() + "," + node.j() + ": " + same + " " + below + " " + above);
                return "x" + node.i() + node.j();
            }

            @Override
            public String head(Layer head, String x) {
                return x;
            }
        }, 1);
        assertEquals("0,1: e0 e1 null", reads.get(0));
        assertEquals("1,1: e1 e2 e0", reads.get(1));
        assertEquals("0,2: x01 x11 null", reads.get(2));
        assertEquals(15, reads.size());
    }
}
