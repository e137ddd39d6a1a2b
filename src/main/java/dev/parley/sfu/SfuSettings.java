package dev.parley.sfu;

/**
 * Media plane settings.
 *
 * @param bindAddress       local address of the media UDP socket
 * @param port              media UDP port (0 picks a free one)
 * @param announcedAddress  address put in the SFU's ICE candidate: the public IP clients reach
 */
public record SfuSettings(String bindAddress, int port, String announcedAddress) {}
