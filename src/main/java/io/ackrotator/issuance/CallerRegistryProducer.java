package io.ackrotator.issuance;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one registry of configured callers, validated once at start-up, for issuing and for revoking alike. */
public class CallerRegistryProducer {

    @Produces
    @Singleton
    CallerRegistry callers(IssuanceConfig config) {
        TemporaryKubeconfigService.validateBounds(config);
        return CallerRegistry.from(config.callers(), config.minValidity(), config.maxValidity());
    }
}
