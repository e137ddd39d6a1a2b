package dev.parley.server;

import dev.parley.signaling.auth.ApiKey;
import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenMinter;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code parley token --room R --identity alice [...]}: mints a join token with the API key and
 * secret from the same sources the server reads (flags, {@code PARLEY_*} variables, the YAML file),
 * and prints it with a ready link to an app.
 */
final class TokenCommand {
    static final String USAGE = """
            Usage: parley token --identity ID [--room ROOM] [options]

            Prints a join token (JWT, HS256) signed with --api-key/--api-secret, read from the same
            flags, environment variables (PARLEY_API_KEY, PARLEY_API_SECRET) or --config YAML file as the server.

              --identity <id>       who joins: the token's sub claim (required)
              --room <room>         the room the token admits to (video.room, with roomJoin)
              --name <name>         display name (default: the identity)
              --ttl <duration>      lifetime, e.g. 30m, 1h, 24h (default: 1h)
              --create              may create a new room with a server-made id (roomCreate; without --room)
              --no-publish          may not send media to the SFU (canPublish false)
              --no-subscribe        may not receive media from the SFU (canSubscribe false)
              --app <call|room|transfer>
                                    app the printed link opens (default: call)
              --receiver            transfer: a receiver's link (…/transfer/?token=…#CODE; needs --room CODE)
              --url <base>          where users reach Parley (default: http://localhost:<port>)
              --config, --api-key, --api-secret, --port
                                    as for the server (see parley --help)
            Output: the token on the first line, the link on the second.

            Transfer rooms are share codes (XXXXX-XXXXX, Crockford base32): without --room one is drawn.
            The sender's link joins the code's room and shares from there; every receiver needs a link of
            their own: parley token --app transfer --receiver --room CODE --identity bob
            """;

    private TokenCommand() {}

    /** Runs the command; returns the process exit status (0 done, 2 bad usage or configuration). */
    static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        String identity = null;
        String room = null;
        String name = null;
        String ttl = "1h";
        String app = "call";
        String url = null;
        boolean create = false;
        boolean publish = true;
        boolean subscribe = true;
        boolean receiver = false;
        List<String> serverArgs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--identity" -> identity = value(args, ++i, arg);
                    case "--room" -> room = value(args, ++i, arg);
                    case "--name" -> name = value(args, ++i, arg);
                    case "--ttl" -> ttl = value(args, ++i, arg);
                    case "--app" -> app = value(args, ++i, arg);
                    case "--url" -> url = value(args, ++i, arg);
                    case "--create" -> create = true;
                    case "--no-publish" -> publish = false;
                    case "--no-subscribe" -> subscribe = false;
                    case "--receiver" -> receiver = true;
                    default -> {
                        // a server option, passed on with its value (a bare switch such as --tls-dev-cert has none)
                        serverArgs.add(arg);
                        if (!arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("--")) serverArgs.add(args[++i]);
                    }
                }
            }
            if (identity == null || identity.isBlank()) throw new ConfigException("--identity is required (see parley token --help)");
            boolean transfer = app.equals("transfer");
            if (transfer) {
                // The transfer app's rooms are its share codes: the receiver's page reads the code from the link.
                if (create) throw new ConfigException("--create does not fit --app transfer: its rooms are share codes (give --room CODE or none)");
                if (room == null && receiver) throw new ConfigException("--receiver needs --room: the sender's share code");
                room = room == null ? ShareCode.draw() : ShareCode.normalize(room).orElseThrow(() -> new ConfigException(
                        "transfer rooms are share codes: 10 letters and digits (Crockford base32), e.g. 7QX2Z-K4M1P"));
            } else if (receiver) {
                throw new ConfigException("--receiver is for --app transfer");
            }
            if (room == null && !create) throw new ConfigException("give --room, or --create for a token that makes a new room");
            if (room != null && !room.matches("[A-Za-z0-9_-]{1,64}")) throw new ConfigException("room ids are 1-64 of A-Z a-z 0-9 _ -");
            if (!app.equals("call") && !app.equals("room") && !transfer) throw new ConfigException("--app is call, room or transfer");
            Duration lifetime = ConfigLoader.duration(new ConfigLoader.Sourced(ttl, "--ttl"));
            ParleyConfig config = ConfigLoader.load(serverArgs.toArray(String[]::new), env);
            ApiKey key = config.apiKey().orElseThrow(() -> new ConfigException(
                    "no API key: give --api-key and --api-secret (or PARLEY_API_KEY and PARLEY_API_SECRET, or a --config file)"));
            Instant now = clock.instant();
            JoinToken token;
            try {
                token = new JoinToken(identity, name, room, room != null, create, publish, subscribe, now, now.plus(lifetime));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            String jwt = new TokenMinter(key).mint(token);
            String base = url != null ? url.replaceAll("/+$", "") : "http://localhost:" + config.port();
            String query = "token=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8);
            String link = switch (app) {
                case "call" -> base + "/call/?" + (room != null ? "room=" + room + "&" : "") + query;
                case "room" -> base + "/room/?" + query + (room != null ? "#" + room : "");
                default -> base + "/transfer/?" + query + (receiver ? "#" + room : "");
            };
            out.println(jwt);
            out.println(link);
            if (transfer && !receiver) {
                err.println("share code " + room + ": mint each receiver's link with parley token --app transfer --receiver --room "
                        + room + " --identity <id>");
            }
            return 0;
        } catch (ConfigException e) {
            err.println("parley token: " + e.getMessage());
            return 2;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new ConfigException("option " + flag + " needs a value");
        return args[i];
    }

    /** True if the command line asks for this subcommand. */
    static boolean wanted(String[] args) {
        return args.length > 0 && args[0].toLowerCase(Locale.ROOT).equals("token");
    }
}
