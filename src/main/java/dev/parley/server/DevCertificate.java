package dev.parley.server;

import dev.parley.rtc.tls.PemFiles;
import dev.parley.rtc.tls.SelfSignedCertificate;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.rtc.tls.TlsIdentityException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --tls-dev-cert: a self-signed certificate for every name and address this host is reached on,
 * kept in a directory so the exception a person accepted in the browser survives restarts. A
 * kept certificate is reused while it covers the current names and has a month left; otherwise a
 * new one replaces it (and the browser asks again).
 */
final class DevCertificate {
    private static final Logger log = LoggerFactory.getLogger(DevCertificate.class);
    static final String CERTIFICATE_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private DevCertificate() {}

    /** Reuses the kept certificate when it still fits, else generates (and keeps) a new one; logs its fingerprint. */
    static TlsIdentity load(Optional<Path> dir, List<String> names) {
        if (dir.isPresent()) {
            TlsIdentity kept = kept(dir.get(), names);
            if (kept != null) {
                log.info("HTTPS dev certificate from {} for {}; SHA-256 {} (compare it with the one your browser shows)",
                        dir.get(), names, kept.sha256Fingerprint());
                return kept;
            }
        }
        TlsIdentity fresh = SelfSignedCertificate.generate("Parley dev certificate", names, VALIDITY);
        String where = "this run only";
        if (dir.isPresent()) {
            try {
                keep(fresh, dir.get());
                where = "kept in " + dir.get();
            } catch (IOException e) {
                log.warn("cannot keep the HTTPS dev certificate in {} ({}); browsers will ask again after a restart", dir.get(), e.toString());
            }
        }
        log.info("HTTPS dev certificate generated for {} ({}); SHA-256 {} (compare it with the one your browser shows)",
                names, where, fresh.sha256Fingerprint());
        return fresh;
    }

    private static TlsIdentity kept(Path dir, List<String> names) {
        Path certificate = dir.resolve(CERTIFICATE_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (!Files.exists(certificate) || !Files.exists(key)) return null;
        try {
            TlsIdentity identity = PemFiles.read(certificate, key);
            Set<String> covered = new java.util.HashSet<>(identity.names().stream().map(DevCertificate::canonical).toList());
            List<String> missing = names.stream().filter(n -> !covered.contains(canonical(n))).toList();
            if (!missing.isEmpty()) {
                log.info("the kept HTTPS dev certificate does not name {}: making a new one", missing);
                return null;
            }
            if (identity.notAfter().isBefore(Instant.now().plus(RENEW_BEFORE))) {
                log.info("the kept HTTPS dev certificate expires on {}: making a new one", identity.notAfter());
                return null;
            }
            return identity;
        } catch (TlsIdentityException e) {
            log.warn("the kept HTTPS dev certificate cannot be used ({}): making a new one", e.getMessage());
            return null;
        }
    }

    /** IP literals in one spelling (X.509 readers print ::1 as 0:0:0:0:0:0:0:1), DNS names in lower case. */
    private static String canonical(String name) {
        if (name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                return InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                return name;
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static void keep(TlsIdentity identity, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        PemFiles.write(identity, dir.resolve(CERTIFICATE_FILE), dir.resolve(KEY_FILE));
    }

    /**
     * Every name a browser may use for this host: localhost and the loopback addresses, the host
     * name (and its mDNS {@code .local} form), the addresses Parley advertises (--host,
     * --sfu-announced-address, --turn-public-host) and the IPv4 address of every interface that is up.
     * IPv6 interface addresses are left out: temporary ones change daily and would renew the certificate.
     */
    static List<String> names(ParleyConfig config) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        hostName().ifPresent(host -> {
            names.add(host);
            if (!host.contains(".")) names.add(host + ".local");
        });
        if (!isWildcard(config.host())) names.add(config.host());
        names.add(config.sfu().announcedAddress());
        names.add(config.turn().publicHost());
        names.addAll(interfaceAddresses());
        return new ArrayList<>(names);
    }

    private static boolean isWildcard(String host) {
        return host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** The kernel's host name without a DNS lookup (InetAddress.getLocalHost() can hang for seconds offline). */
    private static Optional<String> hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (!Files.isReadable(kernel)) return Optional.empty();
            String name = Files.readString(kernel, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
            return name.isEmpty() || name.equals("localhost") ? Optional.empty() : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> interfaceAddresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) continue;
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) addresses.add(address.getHostAddress());
                }
            }
        } catch (SocketException e) {
            // no interface list: the configured names still go in
        }
        return addresses;
    }
}
