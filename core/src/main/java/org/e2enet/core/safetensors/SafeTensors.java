package org.e2enet.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.JsonDocuments;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the data. Reading validates everything the header claims
 * (lengths, offsets inside the data, no overlaps, byte counts matching shapes, known dtypes) before
 * allocating, and reports a problem as a {@link BadInputException} naming the file and the tensor.
 *
 * @param tensors the tensors by name, in file order
 * @param metadata the {@code __metadata__} strings
 */
public record SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** Largest header we accept (the reference implementation's limit). */
    static final long MAX_HEADER = 100L << 20;

    /** Immutable copies. */
    public SafeTensors {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A file of {@code tensors} without metadata. */
    public static SafeTensors of(Collection<Tensor> tensors) {
        return of(tensors, Map.of());
    }

    /** A file of {@code tensors} with metadata. */
    public static SafeTensors of(Collection<Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (map.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor name " + t.name());
            }
        }
        return new SafeTensors(map, metadata);
    }

    /** The tensor called {@code name}; a clear error naming the file when it is missing. */
    public Tensor require(String name, Path file) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw BadInputException.of(file, "missing tensor '" + name + "'");
        }
        return t;
    }

    /** Reads and validates {@code file}. */
    public static SafeTensors read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] lenBytes = in.readNBytes(8);
            if (lenBytes.length < 8) {
                throw BadInputException.of(file, "not a safetensors file: shorter than its 8-byte header length");
            }
            long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw BadInputException.of(file, "invalid safetensors header length " + headerLen + " (file has " + size + " bytes)");
            }
            byte[] headerBytes = in.readNBytes((int) headerLen);
            long dataLen = size - 8 - headerLen;
            List<Entry> entries = parseHeader(file, headerBytes, dataLen);
            Map<String, String> metadata = parseMetadata(file, headerBytes);
            byte[] data = in.readNBytes((int) dataLen);
            if (data.length != dataLen) {
                throw BadInputException.of(file, "truncated data");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                byte[] bytes = java.util.Arrays.copyOfRange(data, (int) e.begin, (int) e.end);
                tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, bytes));
            }
            return new SafeTensors(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw BadInputException.of(file, "no such file");
        } catch (IOException e) {
            throw BadInputException.of(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static List<Entry> parseHeader(Path file, byte[] headerBytes, long dataLen) {
        JsonNode root;
        try {
            root = JsonDocuments.mapper().readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw BadInputException.of(file, "safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw BadInputException.of(file, "safetensors header is not a JSON object");
        }
        if (dataLen > Integer.MAX_VALUE - 8) {
            throw BadInputException.of(file, "data section of " + dataLen + " bytes is larger than supported (2 GiB)");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            entries.add(parseEntry(file, f.getKey(), f.getValue(), dataLen));
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin < prev.end) {
                throw BadInputException.of(file, "tensors '" + prev.name + "' and '" + cur.name + "' overlap");
            }
        }
        return entries;
    }

    private static Entry parseEntry(Path file, String name, JsonNode n, long dataLen) {
        String where = "tensor '" + name + "': ";
        if (!n.isObject()) {
            throw BadInputException.of(file, where + "header entry is not an object");
        }
        JsonNode dt = n.get("dtype");
        JsonNode sh = n.get("shape");
        JsonNode off = n.get("data_offsets");
        if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2) {
            throw BadInputException.of(file, where + "needs dtype, shape and two data_offsets");
        }
        DType dtype = DType.parse(dt.asText()).orElseThrow(() ->
                BadInputException.of(file, where + "unknown dtype '" + dt.asText() + "'"));
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!sh.get(i).canConvertToLong() || sh.get(i).asLong() < 0) {
                throw BadInputException.of(file, where + "invalid shape " + sh);
            }
            shape[i] = sh.get(i).asLong();
        }
        if (!off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw BadInputException.of(file, where + "invalid data_offsets " + off);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw BadInputException.of(file, where + "data_offsets [" + begin + ", " + end + "] outside the "
                    + dataLen + "-byte data section");
        }
        long expected;
        try {
            expected = Math.multiplyExact(Tensor.count(shape), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw BadInputException.of(file, where + "shape " + sh + " overflows");
        }
        if (end - begin != expected) {
            throw BadInputException.of(file, where + "shape " + sh + " of " + dtype + " needs " + expected
                    + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Map<String, String> parseMetadata(Path file, byte[] headerBytes) {
        try {
            JsonNode meta = JsonDocuments.mapper().readTree(headerBytes).get("__metadata__");
            Map<String, String> out = new LinkedHashMap<>();
            if (meta == null) {
                return out;
            }
            if (!meta.isObject()) {
                throw BadInputException.of(file, "__metadata__ is not an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw BadInputException.of(file, "__metadata__ value of '" + e.getKey() + "' is not a string");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        } catch (IOException e) {
            throw BadInputException.of(file, "safetensors header is not valid JSON");
        }
    }

    /** Writes this file atomically; tensors are laid out in name order, 8-byte aligned header. */
    public void write(Path file) throws IOException {
        ObjectNode header = JsonDocuments.mapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Map<String, Tensor> ordered = new TreeMap<>(tensors);
        long offset = 0;
        for (Tensor t : ordered.values()) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype().name());
            var shape = e.putArray("shape");
            for (long s : t.shape()) {
                shape.add(s);
            }
            var off = e.putArray("data_offsets");
            off.add(offset);
            off.add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] json = JsonDocuments.toCompactJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Tensor t : ordered.values()) {
                out.write(t.data());
            }
        });
    }
}
