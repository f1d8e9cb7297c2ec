package org.e2enet.distributed;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Local files for any Hadoop filesystem path: plain paths and {@code file:} URIs are used as they are; other
 * schemes (hdfs:, s3a:, ...) are copied to a local directory to read, and results are copied out under a
 * temporary name and renamed, so a reader never sees half a file.
 */
final class StagedFiles {
    private StagedFiles() {
    }

    /** Whether {@code location} is on the local filesystem. */
    static boolean isLocal(String location) {
        String scheme = URI.create(location.replace(" ", "%20")).getScheme();
        return scheme == null || scheme.equals("file") || scheme.length() == 1; // a Windows drive letter reads as a scheme
    }

    /** The local path of a local location. */
    static Path local(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    /** A local file with the content of {@code location}, copied into {@code tmp} unless it is local already. */
    static Path toLocal(String location, Path tmp) throws IOException {
        if (isLocal(location)) {
            return local(location);
        }
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(location);
        Path dst = tmp.resolve(src.getName());
        FileSystem.get(src.toUri(), new Configuration()).copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(dst.toUri()), true);
        return dst;
    }

    /** Whether {@code location} exists. */
    static boolean exists(String location) throws IOException {
        if (isLocal(location)) {
            return Files.exists(local(location));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        return FileSystem.get(p.toUri(), new Configuration()).exists(p);
    }

    /** Copies the local {@code file} to {@code location} (a temporary name, then a rename). */
    static void publish(Path file, String location) throws IOException {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = FileSystem.get(dst.toUri(), new Configuration());
        org.apache.hadoop.fs.Path part = new org.apache.hadoop.fs.Path(dst.getParent(), "." + dst.getName() + ".partial");
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), part);
        fs.delete(dst, false);
        if (!fs.rename(part, dst)) {
            throw new IOException("cannot rename " + part + " to " + dst);
        }
    }

    /** {@code name} inside the directory {@code dir}. */
    static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
