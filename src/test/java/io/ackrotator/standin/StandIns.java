package io.ackrotator.standin;

import java.util.Map;

/**
 * The stand-ins one Quarkus test run shares: one clock, one ACK emulator. The function under test is configured
 * against them exactly as a user configures it against the cloud (endpoint, credentials, nothing else).
 */
public final class StandIns {

    public static final MutableClock CLOCK = MutableClock.startingNow();
    public static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";
    private static FakeAck ack;

    private StandIns() {
    }

    public static synchronized FakeAck ack() {
        if (ack == null) {
            ack = new FakeAck(CLOCK);
        }
        return ack;
    }

    public static Map<String, String> functionConfig() {
        return Map.of(
                "ack.endpoint", ack().endpoint(),
                "ack.protocol", "http",
                "ack.region", "cn-hangzhou",
                "ack.credentials.access-key-id", FakeAck.DEFAULT_AK,
                "ack.credentials.access-key-secret", FakeAck.DEFAULT_SECRET,
                "rotator.admin.token-sha256", sha256Hex(ADMIN_TOKEN));
    }

    public static String sha256Hex(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
