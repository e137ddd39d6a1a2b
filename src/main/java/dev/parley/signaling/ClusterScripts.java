package dev.parley.signaling;

/**
 * The Lua scripts that keep the cluster's shared state consistent: Redis runs each one atomically
 * (EVAL), so a capacity check and the seat it grants, or a dead node's clean-up, cannot interleave
 * with another node's. Keys (all under {@code parley:}):
 * <ul>
 * <li>{@code nodes} — set of node ids; {@code node:<id>} — the node's URL, expiring unless refreshed;
 *     {@code node:<id>:rooms} — rooms where the node has members</li>
 * <li>{@code room:<id>:peers} — hash peer id → {@code {"node":…,"peer":{id,name,meta,away}}};
 *     {@code room:<id>:capacity}</li>
 * <li>{@code sfu:<room>} — the node that holds the room's SFU media, expiring unless refreshed</li>
 * </ul>
 */
final class ClusterScripts {
    private ClusterScripts() {}

    /**
     * KEYS: peers, capacity, sfu, node rooms. ARGV: peer id, entry JSON, capacity, this node, room.
     * Returns {redirect, url} | {full, capacity} | {ok, capacity, entries of the other members…}.
     */
    static final String ADMIT = """
            local owner = redis.call('GET', KEYS[3])
            if owner and owner ~= ARGV[4] then
              local url = redis.call('GET', 'parley:node:' .. owner)
              if url then return {'redirect', url} end
            end
            local cap = tonumber(redis.call('GET', KEYS[2]) or ARGV[3])
            if redis.call('HLEN', KEYS[1]) >= cap then return {'full', tostring(cap)} end
            redis.call('SET', KEYS[2], cap)
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[4], ARGV[5])
            local result = {'ok', tostring(cap)}
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if all[i] ~= ARGV[1] then table.insert(result, all[i + 1]) end
            end
            return result
            """;

    /** KEYS: peers, capacity. ARGV: peer id. Returns 1 if the seat was still taken. */
    static final String LEAVE = """
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
            return removed
            """;

    /**
     * KEYS: sfu. ARGV: this node, ttl ms. Takes or refreshes the placement unless a live node holds it.
     * Returns {ok} | {redirect, url}.
     */
    static final String PLACE_SFU = """
            local owner = redis.call('GET', KEYS[1])
            if owner and owner ~= ARGV[1] then
              local url = redis.call('GET', 'parley:node:' .. owner)
              if url then return {'redirect', url} end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return {'ok'}
            """;

    /**
     * KEYS: sfu. ARGV: this node, ttl ms. Extends the placement only while this node still holds it
     * (never takes it: a heartbeat must not pin a room this node has just given up). Returns 1 if extended.
     */
    static final String REFRESH_SFU = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;

    /** KEYS: sfu. ARGV: this node. Gives the placement up if this node holds it. */
    static final String RELEASE_SFU = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /**
     * KEYS: nodes, this node's key. ARGV: this node, its URL, ttl ms. Refreshes this node and returns
     * {live node ids comma-separated, 1 if this node's key still existed else 0, ids of registered nodes whose key expired…}.
     */
    static final String HEARTBEAT = """
            local existed = redis.call('EXISTS', KEYS[2])
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            redis.call('SADD', KEYS[1], ARGV[1])
            local alive = {}
            local result = {'', tostring(existed)}
            for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', 'parley:node:' .. n) == 1 then table.insert(alive, n) else table.insert(result, n) end
            end
            result[1] = table.concat(alive, ',')
            return result
            """;

    /**
     * KEYS: peers, capacity, node rooms. ARGV: peer id, entry JSON, capacity, room. Puts a seat back
     * after this node's registration was lost (Redis restarted, or others removed its peers).
     * Returns 1 if the seat was missing.
     */
    static final String RESTORE = """
            redis.call('SET', KEYS[2], ARGV[3], 'NX')
            redis.call('SADD', KEYS[3], ARGV[4])
            return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
            """;

    /**
     * KEYS: nodes. ARGV: the gone node, and '1' when that node is this one stopping cleanly. Removes
     * its peers from every room it had members in, unless it came back. Returns {room, peer id, room,
     * peer id…} of the seats removed, so each is reported once.
     */
    static final String REAP = """
            local gone = ARGV[1]
            if ARGV[2] ~= '1' and redis.call('EXISTS', 'parley:node:' .. gone) == 1 then return {} end
            local roomsKey = 'parley:node:' .. gone .. ':rooms'
            local removed = {}
            for _, room in ipairs(redis.call('SMEMBERS', roomsKey)) do
              local key = 'parley:room:' .. room .. ':peers'
              local all = redis.call('HGETALL', key)
              for i = 1, #all, 2 do
                if cjson.decode(all[i + 1]).node == gone then
                  redis.call('HDEL', key, all[i])
                  table.insert(removed, room)
                  table.insert(removed, all[i])
                end
              end
              if redis.call('HLEN', key) == 0 then redis.call('DEL', key, 'parley:room:' .. room .. ':capacity') end
            end
            redis.call('DEL', roomsKey)
            redis.call('SREM', KEYS[1], gone)
            return removed
            """;
}
