package dev.parley.rtc.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever an operator points --tls-cert/--tls-key at, the answer is a TlsIdentityException, never another exception. */
class PemFilesFuzzTest {
    @Property(tries = 300)
    void garbageInsidePemArmourIsATlsIdentityException(@ForAll @Size(max = 600) byte[] body, @ForAll boolean asKey) throws Exception {
        String type = asKey ? "PRIVATE KEY" : "CERTIFICATE";
        String text = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(body) + "\n-----END " + type + "-----\n";
        expectRefusal(text);
    }

    @Property(tries = 200)
    void arbitraryBytesAreATlsIdentityException(@ForAll @Size(max = 600) byte[] bytes) throws Exception {
        expectRefusal(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private static void expectRefusal(String text) throws Exception {
        Path file = Files.createTempFile("parley-pem", ".pem");
        try {
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            try {
                PemFiles.read(file, file);
                throw new AssertionError("garbage was accepted as a TLS identity");
            } catch (TlsIdentityException expected) {
                // the operator gets a message naming the file
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
