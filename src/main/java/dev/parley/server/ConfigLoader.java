package dev.parley.server;

import dev.parley.sfu.SfuSettings;
import dev.parley.turn.TurnSettings;
import dev.parley.signaling.ClusterSettings;
import dev.parley.signaling.IceServer;
import dev.parley.signaling.SignalingSettings;
import dev.parley.signaling.auth.ApiKey;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Builds {@link ParleyConfig} from CLI flags, {@code PARLEY_*} environment variables and an optional
 * YAML file, in that order of precedence, over the embedded defaults.
 */
public final class ConfigLoader {

    /** Every option Parley understands; {@code --help} and the README table are made from this list. */
    static final List<Option> OPTIONS = List.of(
            new Option("config", "", "YAML file with any of these options as top-level keys"),
            new Option("host", "0.0.0.0", "address the HTTP/WebSocket listener binds to"),
            new Option("port", "8080", "HTTP/WebSocket port (apps, /ws, /metrics, /healthz)"),
            new Option("tls-cert", "", "PEM certificate chain for HTTPS/WSS, leaf first (e.g. certbot's fullchain.pem); turns HTTPS on"),
            new Option("tls-key", "", "PEM private key matching --tls-cert (PKCS#8, PKCS#1 or SEC1; unencrypted)"),
            new Option("tls-port", "8443",
                    "HTTPS/WSS port when TLS is on; --port then serves only /healthz, /readyz, /metrics and redirects the rest here"),
            new Option("tls-dev-cert", "off",
                    "on: serve HTTPS with a self-signed certificate for this host's names and addresses (its SHA-256 is logged)"),
            new Option("tls-dev-cert-dir", "~/.parley/dev-cert",
                    "where the dev certificate is kept so a browser's exception survives restarts (off: a new one each start)"),
            new Option("tls-reload-interval", "30s",
                    "how often --tls-cert/--tls-key are checked for a renewed certificate, used without a restart (off: never)"),
            new Option("allowed-origins", "",
                    "extra origins allowed to open /ws, comma-separated (same-origin is always allowed; * allows any)"),
            new Option("web-root", "", "serve web/ assets from this folder instead of the jar (for UI development)"),
            new Option("log-level", "INFO", "root log level: TRACE, DEBUG, INFO, WARN, ERROR"),
            new Option("ws-max-message-bytes", "65536", "largest signaling message accepted, in bytes"),
            new Option("ws-rate-limit", "50", "signaling messages per second allowed per connection (sustained)"),
            new Option("ws-rate-burst", "200", "signaling messages a connection may send in a burst"),
            new Option("ws-max-send-buffer-bytes", "4194304", "bytes queued to a slow client before it is dropped"),
            new Option("heartbeat-interval", "4s", "server ping interval on the signaling socket"),
            new Option("heartbeat-timeout", "10s", "silence after which a signaling socket is declared dead"),
            new Option("resume-grace", "30s", "how long a dropped session can be resumed before peers get peer-left"),
            new Option("resume-queue", "256", "events queued for a session while its socket is away"),
            new Option("max-room-size", "100", "largest room capacity (used when a join asks for none)"),
            new Option("sfu-port", "7882", "UDP port of the SFU media plane (all participants share it)"),
            new Option("sfu-tcp-port", "7881",
                    "ICE-TCP port of the SFU (RFC 6544) for clients that cannot use UDP (-1 disables)"),
            new Option("sfu-bind", "0.0.0.0", "address the SFU media sockets (UDP and ICE-TCP) bind to"),
            new Option("sfu-announced-address", "",
                    "IP address put in the SFU's ICE candidate, as clients reach it (default: the host's first non-loopback IPv4)"),
            new Option("turn", "on", "run the built-in STUN/TURN server: on or off"),
            new Option("turn-listen", "0.0.0.0", "address the STUN/TURN listeners bind to (coturn listening-ip)"),
            new Option("turn-udp-port", "3478", "STUN/TURN over UDP (-1 disables)"),
            new Option("turn-tcp-port", "3478", "STUN/TURN over TCP (-1 disables)"),
            new Option("turn-tls-port", "5349", "TURN over TLS, turns: (-1 disables; 443 gets through most firewalls)"),
            new Option("turn-tls-cert", "", "PEM certificate chain for turns: (default: the HTTPS certificate when TLS is on, else a generated self-signed dev certificate)"),
            new Option("turn-tls-key", "", "PEM private key matching --turn-tls-cert"),
            new Option("turn-relay-address", "0.0.0.0", "local address relayed transport addresses bind to (coturn relay-ip)"),
            new Option("turn-relay-ports", "49152-65535", "relay port range (coturn min-port/max-port)"),
            new Option("turn-external-ip", "", "public IP advertised for relays when the host is behind NAT (coturn external-ip)"),
            new Option("turn-public-host", "", "host name or IP in the TURN URLs given to clients (default: the SFU announced address)"),
            new Option("turn-realm", "parley", "realm of TURN long-term credentials"),
            new Option("turn-secret", "",
                    "TURN REST API shared secret (coturn static-auth-secret); default: a random secret per start"),
            new Option("turn-credential-ttl", "12h", "lifetime of the TURN credentials handed out on join"),
            new Option("turn-max-credential-expiry", "24h", "refuse REST usernames whose expiry lies further in the future"),
            new Option("turn-allowed-peers", "", "CIDRs relays may reach despite the built-in deny list, comma-separated"),
            new Option("turn-denied-peers", "", "extra CIDRs relays may never reach, comma-separated"),
            new Option("turn-max-allocations", "10000", "TURN allocations in total"),
            new Option("turn-max-allocations-per-user", "20", "TURN allocations one username may hold"),
            new Option("turn-bandwidth", "0", "relay bandwidth cap per allocation in bytes/s (0: none)"),
            new Option("turn-relay-address-v6", "",
                    "local IPv6 address for IPv6 relays (RFC 8656 REQUESTED-/ADDITIONAL-ADDRESS-FAMILY; coturn's second relay-ip); default: IPv4 relays only"),
            new Option("turn-users", "",
                    "static long-term TURN users, name:password comma-separated (coturn user=); prefer the env variable or YAML over the command line"),
            new Option("turn-io-threads", "0", "TURN event loops, each with its own SO_REUSEPORT UDP socket (0: one per core)"),
            new Option("turn-rfc5766-channels", "off",
                    "also accept channel numbers 0x5000-0x7FFF that RFC 5766 allowed (old clients such as coturn's turnutils_uclient): on or off"),
            new Option("ice-servers", "", "STUN/TURN URLs returned on join, comma-separated (e.g. stun:stun.example.org:3478)"),
            new Option("ice-username", "", "username for the TURN URLs in ice-servers (static credentials)"),
            new Option("ice-credential", "", "credential for the TURN URLs in ice-servers (static credentials)"),
            new Option("api-key", "", "API key naming the secret that signs join tokens (their iss claim); with --api-secret every join needs a token"),
            new Option("api-secret", "",
                    "secret (at least 32 bytes) that signs join tokens, HS256; prefer the env variable or YAML over the command line"),
            new Option("admin-token", "",
                    "bearer token for the admin page and /admin/api (default: none, and then only loopback clients get them); prefer the env variable or YAML"),
            new Option("redis", "",
                    "cluster mode: redis://[user:password@]host:port[/db] shared by all nodes (rooms and signaling span nodes; see docs/operations.md)"),
            new Option("node-url", "",
                    "cluster mode: this node's base URL as clients reach it, used in SFU redirects (default: http://<announced address>:<port>, with TLS https://<announced address>:<TLS port>)"));

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private ConfigLoader() {}

    /** Loads the configuration; throws {@link ConfigException} naming the bad option and its source. */
    public static ParleyConfig load(String[] args, Map<String, String> env) {
        Map<String, String> cli = parseArgs(args);
        String configFile = cli.getOrDefault("config", env.getOrDefault(option("config").envVar(), ""));
        Map<String, String> yaml = configFile.isBlank() ? Map.of() : readYaml(Path.of(configFile));

        Map<String, Sourced> values = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            if (cli.containsKey(option.name())) {
                values.put(option.name(), new Sourced(cli.get(option.name()), option.flag()));
            } else if (env.containsKey(option.envVar())) {
                values.put(option.name(), new Sourced(env.get(option.envVar()), option.envVar()));
            } else if (yaml.containsKey(option.yamlKey())) {
                values.put(option.name(), new Sourced(yaml.get(option.yamlKey()), configFile + ": " + option.yamlKey()));
            } else {
                values.put(option.name(), new Sourced(option.defaultValue(), "default of " + option.flag()));
            }
        }
        return build(values);
    }

    /** True if the arguments ask for help instead of a run. */
    public static boolean wantsHelp(String[] args) {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    /** The text of {@code --help}: every option with its environment variable and default. */
    public static String helpText() {
        StringBuilder help = new StringBuilder();
        help.append("Usage: parley [options]\n")
                .append("       parley token --identity ID --room ROOM [...]   mint a join token (parley token --help)\n\n")
                .append("Runs signaling, the built-in STUN/TURN server, the SFU and the web apps in one process.\n")
                .append("Each option may also be set as an environment variable or as a key in the --config YAML file.\n")
                .append("Precedence: command line > environment > YAML file > default.\n\n");
        // one column for the descriptions, as wide as the longest flag, so they line up
        int width = OPTIONS.stream().mapToInt(o -> (o.flag() + " <value>").length()).max().orElse(0);
        String row = "  %-" + width + "s  %s%n";
        for (Option option : OPTIONS) {
            help.append(String.format(Locale.ROOT, row, option.flag() + " <value>", option.description()));
            help.append(String.format(Locale.ROOT, row, "", "env " + option.envVar() + ", default: "
                    + (option.defaultValue().isEmpty() ? "(none)" : option.defaultValue())));
        }
        help.append(String.format(Locale.ROOT, row, "--help", "print this text and exit"));
        return help.toString();
    }

    static Option option(String name) {
        return OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name));
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) continue;
            if (!arg.startsWith("--")) throw new ConfigException("unexpected argument '" + arg + "' (options start with --)");
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (isBareSwitch(name, args, i)) {
                value = "on";
            } else {
                if (i + 1 >= args.length) throw new ConfigException("option --" + name + " needs a value");
                value = args[++i];
            }
            String known = name;
            if (OPTIONS.stream().noneMatch(o -> o.name().equals(known))) {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
            cli.put(name, value);
        }
        return cli;
    }

    /** An on/off option that defaults to off may be given without a value ({@code --tls-dev-cert}) to mean on. */
    private static boolean isBareSwitch(String name, String[] args, int i) {
        boolean offByDefault = OPTIONS.stream().anyMatch(o -> o.name().equals(name) && o.defaultValue().equals("off"));
        return offByDefault && (i + 1 >= args.length || args[i + 1].startsWith("--"));
    }

    private static Map<String, String> readYaml(Path file) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage());
        }
        if (root == null) return Map.of();
        if (!(root instanceof Map<?, ?> map)) throw new ConfigException("config file " + file + " must be a YAML mapping");
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals("config") || OPTIONS.stream().noneMatch(o -> o.yamlKey().equals(key))) {
                throw new ConfigException("config file " + file + ": unknown key '" + key + "'");
            }
            Object value = entry.getValue();
            values.put(key, value instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : value == null ? "" : String.valueOf(value));
        }
        return values;
    }

    private static ParleyConfig build(Map<String, Sourced> v) {
        List<IceServer> iceServers = new ArrayList<>();
        List<String> urls = list(v.get("ice-servers").value());
        if (!urls.isEmpty()) {
            for (String url : urls) {
                if (!url.matches("(stun|stuns|turn|turns):.+")) {
                    throw invalid(v.get("ice-servers"), "'" + url + "' is not a stun:, stuns:, turn: or turns: URL");
                }
            }
            String username = blankToNull(v.get("ice-username").value());
            String credential = blankToNull(v.get("ice-credential").value());
            List<String> stun = urls.stream().filter(u -> u.startsWith("stun")).toList();
            List<String> turn = urls.stream().filter(u -> u.startsWith("turn")).toList();
            if (!stun.isEmpty()) iceServers.add(new IceServer(stun, null, null));
            if (!turn.isEmpty()) iceServers.add(new IceServer(turn, username, credential));
        }
        SignalingSettings signaling;
        try {
            signaling = new SignalingSettings(
                    intValue(v.get("ws-max-message-bytes"), 256, 16 * 1024 * 1024),
                    intValue(v.get("ws-rate-limit"), 1, 100_000),
                    intValue(v.get("ws-rate-burst"), 1, 1_000_000),
                    duration(v.get("heartbeat-interval")),
                    duration(v.get("heartbeat-timeout")),
                    duration(v.get("resume-grace")),
                    intValue(v.get("resume-queue"), 1, 1_000_000),
                    intValue(v.get("max-room-size"), 2, 100_000),
                    intValue(v.get("ws-max-send-buffer-bytes"), 65536, Integer.MAX_VALUE),
                    iceServers);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("inconsistent signaling options: " + e.getMessage());
        }
        String logLevel = v.get("log-level").value().toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(logLevel)) {
            throw invalid(v.get("log-level"), "must be one of TRACE, DEBUG, INFO, WARN, ERROR");
        }
        String webRoot = v.get("web-root").value();
        if (!webRoot.isBlank() && !Files.isDirectory(Path.of(webRoot))) {
            throw invalid(v.get("web-root"), "'" + webRoot + "' is not a directory");
        }
        String announced = v.get("sfu-announced-address").value().trim();
        if (announced.isEmpty()) announced = firstNonLoopbackIpv4();
        else if (!announced.matches("[0-9a-fA-F.:]+")) throw invalid(v.get("sfu-announced-address"), "must be an IP address");
        SfuSettings sfu = new SfuSettings(v.get("sfu-bind").value(), intValue(v.get("sfu-port"), 0, 65535), announced,
                intValue(v.get("sfu-tcp-port"), -1, 65535));
        TurnConfig turn = turnConfig(v, announced);
        TlsConfig tls = tlsConfig(v);
        Optional<ClusterSettings> cluster = clusterSettings(v, signaling);
        return new ParleyConfig(
                v.get("host").value(),
                intValue(v.get("port"), 0, 65535),
                list(v.get("allowed-origins").value()),
                webRoot.isBlank() ? Optional.empty() : Optional.of(Path.of(webRoot)),
                logLevel,
                signaling,
                sfu,
                turn,
                apiKey(v.get("api-key"), v.get("api-secret")),
                tls,
                adminToken(v.get("admin-token")),
                cluster);
    }

    /** {@code --api-key} and {@code --api-secret} go together; without both Parley runs in dev mode. */
    private static Optional<ApiKey> apiKey(Sourced key, Sourced secret) {
        if (key.value().isBlank() && secret.value().isEmpty()) return Optional.empty();
        if (key.value().isBlank()) throw invalid(secret, "--api-secret needs --api-key (the token's iss)");
        if (secret.value().isEmpty()) throw invalid(key, "--api-key needs --api-secret");
        try {
            return Optional.of(new ApiKey(key.value().trim(), secret.value()));
        } catch (IllegalArgumentException e) {
            throw invalid(secret, e.getMessage());
        }
    }

    private static TlsConfig tlsConfig(Map<String, Sourced> v) {
        String cert = v.get("tls-cert").value().trim();
        String key = v.get("tls-key").value().trim();
        if (cert.isEmpty() != key.isEmpty()) throw invalid(v.get(cert.isEmpty() ? "tls-key" : "tls-cert"), "--tls-cert and --tls-key go together");
        boolean dev = onOff(v.get("tls-dev-cert"));
        if (dev && !cert.isEmpty()) throw invalid(v.get("tls-dev-cert"), "--tls-dev-cert and --tls-cert exclude each other: pick one");
        int port = intValue(v.get("tls-port"), 0, 65535);
        if ((dev || !cert.isEmpty()) && port != 0 && port == intValue(v.get("port"), 0, 65535)) {
            throw invalid(v.get("tls-port"), "must differ from --port (plain HTTP keeps listening there and redirects to HTTPS)");
        }
        String dir = v.get("tls-dev-cert-dir").value().trim();
        Optional<Path> devDir = dir.isEmpty() || dir.equalsIgnoreCase("off") ? Optional.empty()
                : Optional.of(dir.startsWith("~/") ? Path.of(System.getProperty("user.home"), dir.substring(2)) : Path.of(dir));
        Duration reload = v.get("tls-reload-interval").value().trim().equalsIgnoreCase("off") ? Duration.ZERO
                : duration(v.get("tls-reload-interval"));
        return new TlsConfig(port, cert.isEmpty() ? Optional.empty() : Optional.of(Path.of(cert)),
                key.isEmpty() ? Optional.empty() : Optional.of(Path.of(key)), dev, devDir, reload);
    }

    private static Optional<ClusterSettings> clusterSettings(Map<String, Sourced> v, SignalingSettings signaling) {
        String redis = v.get("redis").value().trim();
        String nodeUrl = v.get("node-url").value().trim();
        if (redis.isEmpty()) {
            if (!nodeUrl.isEmpty()) throw invalid(v.get("node-url"), "only means something with --redis");
            return Optional.empty();
        }
        if (!redis.matches("rediss?://[^\\s]+")) throw invalid(v.get("redis"), "must look like redis://host:6379");
        if (!nodeUrl.isEmpty() && !nodeUrl.matches("https?://[^\\s/]+/?")) {
            throw invalid(v.get("node-url"), "must be a base URL such as https://node1.example.org");
        }
        return Optional.of(ClusterSettings.of(redis, nodeUrl.isEmpty() ? null : nodeUrl.replaceAll("/$", ""),
                signaling.resumeGrace()));
    }

    private static TurnConfig turnConfig(Map<String, Sourced> v, String announced) {
        String enabled = v.get("turn").value().trim().toLowerCase(Locale.ROOT);
        if (!List.of("on", "off", "true", "false").contains(enabled)) throw invalid(v.get("turn"), "must be on or off");
        String[] range = v.get("turn-relay-ports").value().trim().split("-");
        if (range.length != 2) throw invalid(v.get("turn-relay-ports"), "must look like 49152-65535");
        int min;
        int max;
        try {
            min = Integer.parseInt(range[0].trim());
            max = Integer.parseInt(range[1].trim());
        } catch (NumberFormatException e) {
            throw invalid(v.get("turn-relay-ports"), "must look like 49152-65535");
        }
        String secret = v.get("turn-secret").value();
        boolean randomSecret = secret.isBlank();
        if (randomSecret) {
            byte[] bytes = new byte[24];
            new java.security.SecureRandom().nextBytes(bytes);
            secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        String cert = v.get("turn-tls-cert").value();
        String key = v.get("turn-tls-key").value();
        if (cert.isBlank() != key.isBlank()) throw invalid(v.get("turn-tls-cert"), "--turn-tls-cert and --turn-tls-key go together");
        String external = v.get("turn-external-ip").value().trim();
        String publicHost = v.get("turn-public-host").value().trim();
        String relayV6 = v.get("turn-relay-address-v6").value().trim();
        try {
            TurnSettings settings = TurnSettings.defaults()
                    .withListen(v.get("turn-listen").value(), intValue(v.get("turn-udp-port"), -1, 65535),
                            intValue(v.get("turn-tcp-port"), -1, 65535), intValue(v.get("turn-tls-port"), -1, 65535))
                    .withRelay(v.get("turn-relay-address").value(), relayV6.isEmpty() ? null : relayV6,
                            external.isEmpty() ? null : external, min, max)
                    .withAuth(v.get("turn-realm").value(), secret, users(v.get("turn-users")), duration(v.get("turn-credential-ttl")),
                            duration(v.get("turn-max-credential-expiry")))
                    .withPeers(list(v.get("turn-allowed-peers").value()), list(v.get("turn-denied-peers").value()))
                    .withQuotas(intValue(v.get("turn-max-allocations"), 1, 10_000_000),
                            intValue(v.get("turn-max-allocations-per-user"), 1, 1_000_000), 64, 32,
                            intValue(v.get("turn-bandwidth"), 0, Integer.MAX_VALUE))
                    .withIoThreads(intValue(v.get("turn-io-threads"), 0, 1024))
                    .withRfc5766ChannelNumbers(onOff(v.get("turn-rfc5766-channels")));
            if (!cert.isBlank()) settings = settings.withTls(Path.of(cert), Path.of(key));
            return new TurnConfig(enabled.equals("on") || enabled.equals("true"), settings,
                    publicHost.isEmpty() ? announced : publicHost, randomSecret);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid TURN options: " + e.getMessage());
        }
    }

    /** A token short enough to type and long enough not to guess; blank means none. */
    private static Optional<String> adminToken(Sourced s) {
        String token = s.value().trim();
        if (token.isEmpty()) return Optional.empty();
        if (token.length() < 16 || token.length() > 256 || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw invalid(s, "must be 16-256 printable ASCII characters without spaces");
        }
        return Optional.of(token);
    }

    /** coturn-style {@code name:password} pairs, comma-separated; a password may itself contain colons. */
    private static Map<String, String> users(Sourced s) {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        for (String entry : list(s.value())) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) throw invalid(s, "must be name:password pairs, comma-separated");
            if (users.put(entry.substring(0, colon), entry.substring(colon + 1)) != null) {
                throw invalid(s, "names user " + entry.substring(0, colon) + " twice");
            }
        }
        return users;
    }

    private static boolean onOff(Sourced s) {
        String value = s.value().trim().toLowerCase(Locale.ROOT);
        if (!List.of("on", "off", "true", "false").contains(value)) throw invalid(s, "must be on or off");
        return value.equals("on") || value.equals("true");
    }

    /** The address remote browsers most likely reach this host on; loopback when there is none. */
    static String firstNonLoopbackIpv4() {
        try {
            var interfaces = java.net.NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var nic = interfaces.nextElement();
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) continue;
                for (var address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }

    private static int intValue(Sourced s, int min, int max) {
        try {
            long value = Long.parseLong(s.value().trim());
            if (value < min || value > max) throw invalid(s, "must be between " + min + " and " + max);
            return (int) value;
        } catch (NumberFormatException e) {
            throw invalid(s, "'" + s.value() + "' is not a whole number");
        }
    }

    /** Durations are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number means seconds. */
    static Duration duration(Sourced s) {
        Matcher m = DURATION.matcher(s.value().trim());
        if (!m.matches()) throw invalid(s, "'" + s.value() + "' is not a duration like 500ms, 30s, 5m or 1h");
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (d.isZero()) throw invalid(s, "must be longer than zero");
        return d;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static ConfigException invalid(Sourced s, String why) {
        return new ConfigException("invalid value from " + s.source() + ": " + why);
    }

    /** A raw value and where it came from, for error messages. */
    record Sourced(String value, String source) {}
}
