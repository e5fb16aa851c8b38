package io.ackrotator.issuance;

import io.ackrotator.auth.Authentication;
import java.util.Optional;

/** Where an authenticated caller's request came from, as the audit records it: address, proof, endpoint. */
public record Requester(Optional<String> sourceIp, Authentication authentication, String endpoint) {
}
