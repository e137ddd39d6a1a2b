package dev.parley.sfu;

/**
 * Media plane settings.
 *
 * @param bindAddress       local address of the media UDP socket
 * @param port              media UDP port (0 picks a free one)
 * @param announcedAddress  address put in the SFU's ICE candidates: the public IP clients reach
 * @param tcpPort           ICE-TCP port for clients that cannot use UDP (RFC 6544; 0 picks a free
 *                          one, -1 turns ICE-TCP off)
 */
public record SfuSettings(String bindAddress, int port, String announcedAddress, int tcpPort) {}
