package io.ackrotator.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What an entry's annotations say about its kubeconfig, trusted only while they describe the data they were written
 * with (a fingerprint of the stored data is kept beside them, so data edited by hand is read in full again): the
 * certificate's expiry and its authorities' earliest, its subject, when it was last proven. Lets a sweep pass over a
 * quiet cluster without reading and parsing its kubeconfig. Only entries with no revocation, rejection or
 * insecure-skip-tls-verify have facts.
 */
public record StoredFacts(Instant notAfter, Instant authoritiesNotAfter, String subject, Optional<Instant> probedAt) {
}
