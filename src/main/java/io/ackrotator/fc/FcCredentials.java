package io.ackrotator.fc;

import io.ackrotator.ack.AckCredentials;
import io.ackrotator.auth.FaceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;

/**
 * The function role's STS credentials FC passes with an invocation in {@code x-fc-*} headers. Honoured only on the
 * event face, where FC is the only possible sender; behind an HTTP trigger anyone can send such headers, so there
 * the function's own credentials (environment) are used and the headers are ignored.
 */
@ApplicationScoped
public class FcCredentials {

    public static final String FC_ACCESS_KEY_ID = "x-fc-access-key-id";
    public static final String FC_ACCESS_KEY_SECRET = "x-fc-access-key-secret";
    public static final String FC_SECURITY_TOKEN = "x-fc-security-token";

    private final boolean honoured;

    public FcCredentials(FaceConfig config) {
        this.honoured = config.face() == FaceConfig.Face.event;
    }

    /** A complete pair from the headers, where they are honoured. */
    public Optional<AckCredentials> of(Function<String, String> headers) {
        if (!honoured) {
            return Optional.empty();
        }
        Optional<String> id = Optional.ofNullable(headers.apply(FC_ACCESS_KEY_ID)).filter(v -> !v.isBlank());
        Optional<String> secret = Optional.ofNullable(headers.apply(FC_ACCESS_KEY_SECRET)).filter(v -> !v.isBlank());
        if (id.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AckCredentials(id.get(), secret.get(),
                Optional.ofNullable(headers.apply(FC_SECURITY_TOKEN)).filter(v -> !v.isBlank())));
    }
}
