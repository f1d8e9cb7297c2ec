package org.e2enet.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.synth.SyntheticDataset;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path tmp;
    Path ds;

    @BeforeEach
    void makeDataset() throws Exception {
        ds = tmp.resolve("ds");
        SyntheticDataset.of(3, new Shape3(12, 24, 24)).testCases(1).seed(4).write(ds);
    }

    private String invalid() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> DatasetValidator.validate(Dataset.open(ds), ProgressListener.NONE));
        return e.getMessage();
    }

    @Test
    void synthesisedDatasetIsValidAndDeterministic() throws Exception {
        Dataset d = Dataset.open(ds);
        assertEquals(3, d.training().size());
        assertEquals(1, d.test().size());
        DatasetValidator.validate(d, ProgressListener.NONE);
        Path again = tmp.resolve("again");
        SyntheticDataset.of(3, new Shape3(12, 24, 24)).testCases(1).seed(4).write(again);
        for (String f : new String[] {"imagesTr/phantom_001_0000.nii.gz", "labelsTr/phantom_001.nii.gz", "labelsTs/phantom_003.nii.gz"}) {
            assertArrayEquals(Files.readAllBytes(ds.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        Path other = tmp.resolve("other");
        SyntheticDataset.of(3, new Shape3(12, 24, 24)).seed(5).write(other);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(ds.resolve("imagesTr/phantom_000_0000.nii.gz")),
                Files.readAllBytes(other.resolve("imagesTr/phantom_000_0000.nii.gz"))));
        // every structure is present in every case, the lesion is small
        Volume label = NiftiReader.read(ds.resolve("labelsTr/phantom_000.nii.gz"));
        long[] counts = new long[4];
        for (int i = 0; i < label.shape().voxelsInt(); i++) {
            counts[(int) label.value(0, i)]++;
        }
        for (int k = 1; k < 4; k++) {
            assertTrue(counts[k] > 0, "structure " + k + " present");
        }
        assertTrue(counts[3] < counts[1], "lesion smaller than organ");
    }

    @Test
    void missingChannelFile() throws Exception {
        Files.delete(ds.resolve("imagesTr/phantom_001_0000.nii.gz"));
        Files.copy(ds.resolve("labelsTr/phantom_001.nii.gz"), ds.resolve("imagesTr/phantom_001_0001.nii.gz"));
        BadInputException e = assertThrows(BadInputException.class, () -> Dataset.open(ds));
        assertTrue(e.getMessage().contains("phantom_001_0001") || e.getMessage().contains("channel"), e.getMessage());
    }

    @Test
    void missingLabelAndWrongCount() throws Exception {
        Files.delete(ds.resolve("labelsTr/phantom_002.nii.gz"));
        BadInputException e = assertThrows(BadInputException.class, () -> Dataset.open(ds));
        assertTrue(e.getMessage().contains("phantom_002.nii.gz") && e.getMessage().contains("missing label"), e.getMessage());
    }

    @Test
    void geometryMismatch() throws Exception {
        Path label = ds.resolve("labelsTr/phantom_001.nii.gz");
        Volume v = NiftiReader.read(label);
        Geometry g = v.geometry();
        NiftiWriter.standard().write(v.withGeometry(new Geometry(g.shape(), new Spacing3(9, 9, 9),
                org.e2enet.core.volume.Affine.fromSpacing(new Spacing3(9, 9, 9)), 1, 1, null)), label);
        String msg = invalid();
        assertTrue(msg.startsWith(label.toString()) && msg.contains("geometry mismatch"), msg);
        NiftiWriter.standard().write(Volume.zeros(Geometry.of(new Shape3(3, 3, 3), new Spacing3(1, 1, 1)), VoxelType.UINT8, 1), label);
        assertTrue(invalid().contains("geometry mismatch"));
    }

    @Test
    void anOriginOnlyMismatchSaysThatTheOriginDiffers() throws Exception {
        Path label = ds.resolve("labelsTr/phantom_001.nii.gz");
        Volume v = NiftiReader.read(label);
        Geometry g = v.geometry();
        double[][] moved = g.affine().toArray();
        moved[0][3] += 5;
        NiftiWriter.standard().write(v.withGeometry(new Geometry(g.shape(), g.spacing(), org.e2enet.core.volume.Affine.of(moved),
                g.qformCode(), g.sformCode(), null)), label);
        String msg = invalid();
        assertTrue(msg.contains("origin") && msg.contains("same shape"), msg);
    }

    @Test
    void aNanVoxelInATrainingImageIsBadInputNamingTheFileAtPreprocessing() throws Exception {
        Path image = ds.resolve("imagesTr/phantom_002_0000.nii.gz");
        Volume v = NiftiReader.read(image);
        org.e2enet.core.volume.VoxelData f = org.e2enet.core.volume.VoxelData.ofFloats(v.floats(0));
        f.set(17, Double.NaN);
        NiftiWriter.standard().write(Volume.of(v.geometry(), f), image);
        BadInputException e = assertThrows(BadInputException.class, () -> org.e2enet.core.preprocess.DatasetPreprocessor.run(
                Dataset.open(ds), tmp.resolve("pre"), null, false, ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(image.toString()) && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("pre")), "nothing is left half-written");
    }

    @Test
    void aDatasetJsonThatIsADirectoryIsSaidToBeOne() throws Exception {
        Files.delete(ds.resolve("dataset.json"));
        Files.createDirectories(ds.resolve("dataset.json"));
        BadInputException e = assertThrows(BadInputException.class, () -> Dataset.open(ds));
        assertTrue(e.getMessage().contains("is a directory") && !e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void labelValuesOutsideTheDeclaredLabels() throws Exception {
        Path label = ds.resolve("labelsTr/phantom_000.nii.gz");
        Volume v = NiftiReader.read(label);
        v.channel(0).set(5, 7);
        NiftiWriter.standard().write(v, label);
        String msg = invalid();
        assertTrue(msg.startsWith(label.toString()) && msg.contains("label value 7.0"), msg);
    }

    @Test
    void imagePassedAsLabel() throws Exception {
        Files.copy(ds.resolve("imagesTr/phantom_000_0000.nii.gz"), ds.resolve("labelsTr/phantom_000.nii.gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(invalid().contains("label value"));
    }

    @Test
    void unreadableFile() throws Exception {
        Files.writeString(ds.resolve("imagesTr/phantom_002_0000.nii.gz"), "not an image");
        String msg = invalid();
        assertTrue(msg.contains("phantom_002_0000") && msg.contains("not a NIfTI"), msg);
    }

    @Test
    void malformedDatasetJson() throws Exception {
        Path json = ds.resolve("dataset.json");
        Files.writeString(json, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0, \"a\": 1}");
        assertTrue(assertThrows(BadInputException.class, () -> Dataset.open(ds)).getMessage().contains("malformed JSON"));
        Files.writeString(json, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0, \"a\": 3}, "
                + "\"numTraining\": 3, \"file_ending\": \".nii.gz\"}");
        assertTrue(assertThrows(BadInputException.class, () -> Dataset.open(ds)).getMessage().contains("without gaps"));
        Files.writeString(json, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0, \"a\": 1}, "
                + "\"numTraining\": 5, \"file_ending\": \".nii.gz\"}");
        assertTrue(assertThrows(BadInputException.class, () -> Dataset.open(ds)).getMessage().contains("numTraining is 5"));
    }
}
