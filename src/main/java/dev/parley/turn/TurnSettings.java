package dev.parley.turn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the built-in STUN/TURN server, built once by {@code server} from configuration.
 * Start from {@link #defaults()} and change fields with the {@code with…} methods.
 *
 * @param listenAddress       address the UDP/TCP/TLS listeners bind (coturn {@code listening-ip})
 * @param udpPort             STUN/TURN over UDP; 0 picks a free port, -1 disables
 * @param tcpPort             STUN/TURN over TCP; 0 picks a free port, -1 disables
 * @param tlsPort             TURN over TLS (turns:); 0 picks a free port, -1 disables
 * @param relayAddress        local address relayed transport addresses bind (coturn {@code relay-ip})
 * @param relayAddressV6      IPv6 relay bind address for REQUESTED-ADDRESS-FAMILY IPv6, or null for none
 * @param externalIp          address advertised in XOR-RELAYED-ADDRESS when the host is behind NAT
 *                            (coturn {@code external-ip}); null advertises the relay address
 * @param relayPortMin        lowest relay port (coturn {@code min-port})
 * @param relayPortMax        highest relay port (coturn {@code max-port})
 * @param realm               long-term credential realm
 * @param sharedSecret        TURN REST API secret (coturn {@code static-auth-secret}); null disables REST credentials
 * @param users               static long-term users, name to password (coturn {@code user=})
 * @param credentialTtl       lifetime of credentials minted by {@link TurnCredentials}
 * @param maxCredentialExpiry how far in the future a REST username's expiry may lie; later ones are refused
 * @param allowedPeers        CIDRs always allowed as peers, even inside the default deny list (e.g. 127.0.0.0/8 in tests)
 * @param deniedPeers         CIDRs denied in addition to the built-in deny list
 * @param maxAllocations      allocations on this server in total
 * @param maxAllocationsPerUser allocations one username may hold
 * @param maxPermissionsPerAllocation peer permissions one allocation may hold
 * @param maxTcpConnectionsPerAllocation RFC 6062 peer connections one allocation may hold
 * @param bandwidthBytesPerSecond relay cap per allocation, both directions together; 0 for none
 * @param tlsCertificate      PEM certificate chain for the TLS listener, or null for a generated self-signed dev certificate
 * @param tlsPrivateKey       PEM private key (PKCS#8 or PKCS#1/SEC1) matching {@code tlsCertificate}
 * @param ioThreads           event loops (and SO_REUSEPORT UDP sockets with epoll); 0 means one per core
 * @param rfc5766ChannelNumbers also accept channel numbers 0x5000-0x7FFF, which RFC 5766 allowed and RFC 8656
 *                            withdrew; off by default. Old clients (coturn's turnutils_uclient among them) pick
 *                            numbers from the old range and fail ChannelBind without it.
 */
public record TurnSettings(
        String listenAddress,
        int udpPort,
        int tcpPort,
        int tlsPort,
        String relayAddress,
        String relayAddressV6,
        String externalIp,
        int relayPortMin,
        int relayPortMax,
        String realm,
        String sharedSecret,
        Map<String, String> users,
        Duration credentialTtl,
        Duration maxCredentialExpiry,
        List<String> allowedPeers,
        List<String> deniedPeers,
        int maxAllocations,
        int maxAllocationsPerUser,
        int maxPermissionsPerAllocation,
        int maxTcpConnectionsPerAllocation,
        long bandwidthBytesPerSecond,
        Path tlsCertificate,
        Path tlsPrivateKey,
        int ioThreads,
        boolean rfc5766ChannelNumbers) {

    public TurnSettings {
        users = Map.copyOf(users == null ? Map.of() : users);
        allowedPeers = List.copyOf(allowedPeers == null ? List.of() : allowedPeers);
        deniedPeers = List.copyOf(deniedPeers == null ? List.of() : deniedPeers);
        if (relayPortMin < 1 || relayPortMax > 65535 || relayPortMin > relayPortMax) {
            throw new IllegalArgumentException("relay port range " + relayPortMin + "-" + relayPortMax);
        }
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS certificate and private key go together");
        }
        if (credentialTtl.isNegative() || maxCredentialExpiry.isNegative()) throw new IllegalArgumentException("negative duration");
        // every peer rule must parse now, not on the first packet
        allowedPeers.forEach(PeerAddressPolicy.Cidr::parse);
        deniedPeers.forEach(PeerAddressPolicy.Cidr::parse);
    }

    /** coturn-like defaults: ports 3478/3478/5349, relays 49152-65535, 12 h credentials capped at 24 h, loopback and private peers denied. */
    public static TurnSettings defaults() {
        return new TurnSettings("0.0.0.0", 3478, 3478, 5349, "0.0.0.0", null, null, 49152, 65535, "parley", null, Map.of(),
                Duration.ofHours(12), Duration.ofHours(24), List.of(), List.of(),
                10_000, 20, 64, 32, 0, null, null, 0, false);
    }

    public TurnSettings withListen(String address, int udp, int tcp, int tls) {
        return new TurnSettings(address, udp, tcp, tls, relayAddress, relayAddressV6, externalIp, relayPortMin, relayPortMax, realm,
                sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers, maxAllocations,
                maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation, bandwidthBytesPerSecond,
                tlsCertificate, tlsPrivateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withRelay(String address, String addressV6, String external, int portMin, int portMax) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, address, addressV6, external, portMin, portMax, realm,
                sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers, maxAllocations,
                maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation, bandwidthBytesPerSecond,
                tlsCertificate, tlsPrivateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withAuth(String newRealm, String secret, Map<String, String> staticUsers, Duration ttl, Duration maxExpiry) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, newRealm, secret, staticUsers, ttl, maxExpiry, allowedPeers, deniedPeers, maxAllocations,
                maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation, bandwidthBytesPerSecond,
                tlsCertificate, tlsPrivateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withPeers(List<String> allowed, List<String> denied) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, realm, sharedSecret, users, credentialTtl, maxCredentialExpiry, allowed, denied, maxAllocations,
                maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation, bandwidthBytesPerSecond,
                tlsCertificate, tlsPrivateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withQuotas(int allocations, int perUser, int permissions, int tcpConnections, long bandwidth) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, realm, sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers, allocations,
                perUser, permissions, tcpConnections, bandwidth, tlsCertificate, tlsPrivateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withTls(Path certificate, Path privateKey) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, realm, sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers,
                maxAllocations, maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation,
                bandwidthBytesPerSecond, certificate, privateKey, ioThreads, rfc5766ChannelNumbers);
    }

    public TurnSettings withRfc5766ChannelNumbers(boolean allow) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, realm, sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers,
                maxAllocations, maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation,
                bandwidthBytesPerSecond, tlsCertificate, tlsPrivateKey, ioThreads, allow);
    }

    public TurnSettings withIoThreads(int threads) {
        return new TurnSettings(listenAddress, udpPort, tcpPort, tlsPort, relayAddress, relayAddressV6, externalIp, relayPortMin,
                relayPortMax, realm, sharedSecret, users, credentialTtl, maxCredentialExpiry, allowedPeers, deniedPeers,
                maxAllocations, maxAllocationsPerUser, maxPermissionsPerAllocation, maxTcpConnectionsPerAllocation,
                bandwidthBytesPerSecond, tlsCertificate, tlsPrivateKey, threads, rfc5766ChannelNumbers);
    }
}
