package dev.safemigrate.rules;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules files a load reads, within {@link Limits}: how many, how large each and all together, all
 * checked from the directory listing and file sizes before any file is read.
 */
final class RulesFiles {
    private RulesFiles() {
    }

    /** The files named or contained, each once, even when a file is given both alone and through its directory. */
    static List<Path> list(List<Path> paths) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        long bytes = 0;
        for (Path path : paths) {
            for (Path file : expand(path)) {
                if (!seen.add(file.toAbsolutePath().normalize())) {
                    continue;
                }
                files.add(file);
                bytes += size(file);
                if (files.size() > Limits.FILES || bytes > Limits.TOTAL_BYTES) {
                    throw SafeMigrateException.invalid("the rules files given hold more than " + Limits.FILES + " files or more than "
                            + (Limits.TOTAL_BYTES >> 20) + " MiB (" + files.size() + " files and " + bytes + " bytes so far, up to " + file
                            + "): give fewer files or directories");
                }
            }
        }
        return files;
    }

    private static List<Path> expand(Path path) {
        if (path.toString().isBlank()) {
            throw SafeMigrateException.invalid("an empty path was given: name a rules file or a directory of them");
        }
        if (!Files.exists(path)) {
            throw SafeMigrateException.invalid(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path, "*.{yaml,yml}")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
                if (files.size() > Limits.FILES) {
                    break;
                }
            }
        } catch (IOException e) {
            throw cannotRead(path, "cannot list the directory", e);
        }
        files.sort(null);
        return files;
    }

    /**
     * The size the listing gives. Only a file that vanished since it was listed has none (0 here): {@link #read} then
     * says why it cannot be read, and checks the limit again as it reads.
     */
    private static long size(Path file) {
        long size = file.toFile().length();
        if (size > Limits.FILE_BYTES) {
            throw tooLarge(file, size + " bytes");
        }
        return size;
    }

    /**
     * The file's bytes. Reading stops one byte past the limit: a file that grew since it was listed, or
     * one whose size the system does not know (a pipe, a device), is refused there.
     */
    static byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(Limits.FILE_BYTES + 1);
            if (bytes.length > Limits.FILE_BYTES) {
                throw tooLarge(file, "more than " + Limits.FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw cannotRead(file, "cannot read the file", e);
        }
    }

    private static SafeMigrateException tooLarge(Path file, String size) {
        return SafeMigrateException.invalid(file + ": the file is " + size + "; a rules file may be at most " + Limits.FILE_BYTES
                + " bytes (1 MiB)");
    }

    private static SafeMigrateException cannotRead(Path path, String what, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
        return new SafeMigrateException(ExitCode.INVALID, path + ": " + what + " (" + why + ")", e);
    }
}
