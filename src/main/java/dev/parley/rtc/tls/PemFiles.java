package dev.parley.rtc.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM files as certbot, a CA or {@code openssl} write them (RFC 7468): a certificate chain, leaf
 * first, and an unencrypted private key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. coturn's {@code cert}/{@code pkey}
 * and nginx's {@code ssl_certificate}/{@code ssl_certificate_key} take the same files.
 */
public final class PemFiles {
    private PemFiles() {}

    /** Reads a chain and its key; the message of a failure names the file and what is wrong with it. */
    public static TlsIdentity read(Path chainFile, Path keyFile) throws TlsIdentityException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Object block : blocks(chainFile)) {
            if (block instanceof X509CertificateHolder holder) chain.add(certificate(holder, chainFile));
        }
        if (chain.isEmpty()) throw new TlsIdentityException(chainFile + " holds no CERTIFICATE block");
        PrivateKey key = null;
        for (Object block : blocks(keyFile)) {
            if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsIdentityException("the private key in " + keyFile
                        + " is encrypted; give an unencrypted one (openssl pkey -in " + keyFile + " -out key.pem)");
            }
            key = privateKey(block, keyFile);
            if (key != null) break;
        }
        if (key == null) throw new TlsIdentityException(keyFile + " holds no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
        try {
            return new TlsIdentity(key, chain);
        } catch (TlsIdentityException e) {
            throw new TlsIdentityException("the private key in " + keyFile + " does not belong to the first certificate in "
                    + chainFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
    }

    /**
     * Writes the chain and the key (PKCS#8, readable by the owner only), each through a temporary
     * file and a rename so a reader never sees half a file.
     */
    public static void write(TlsIdentity identity, Path chainFile, Path keyFile) throws IOException {
        StringWriter chain = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(chain)) {
            for (X509Certificate certificate : identity.chain()) pem.writeObject(certificate);
        }
        StringWriter key = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(key)) {
            pem.writeObject(new JcaPKCS8Generator(identity.privateKey(), null)); // PKCS#8; a bare key would be written as SEC1/PKCS#1
        }
        replace(keyFile, key.toString(), true);
        replace(chainFile, chain.toString(), false);
    }

    private static void replace(Path file, String text, boolean secret) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret && Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<Object> blocks(Path file) throws TlsIdentityException {
        List<Object> blocks = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) blocks.add(block);
        } catch (NoSuchFileException e) {
            throw new TlsIdentityException(file + " does not exist");
        } catch (IOException | RuntimeException e) { // BouncyCastle reports malformed base64/DER unchecked at times
            throw new TlsIdentityException(file + " is not a readable PEM file: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static X509Certificate certificate(X509CertificateHolder holder, Path file) throws TlsIdentityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new TlsIdentityException(file + " holds a certificate the JDK cannot read: " + e.getMessage(), e);
        }
    }

    /** The key of a PKCS#8 block or of a PKCS#1/SEC1 key pair block; null for other blocks (certificates, EC PARAMETERS). */
    private static PrivateKey privateKey(Object block, Path file) throws TlsIdentityException {
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (block instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            if (block instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may omit the public key
            return null;
        } catch (IOException e) {
            throw new TlsIdentityException(file + " holds a private key of a type the JDK cannot use: " + e.getMessage(), e);
        }
    }
}
