package io.ackrotator.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.notify")
public interface NotifyConfig {

    /** A DingTalk custom robot: its webhook URL (with access_token) and, for signed robots, its secret. */
    Optional<DingTalk> dingtalk();

    /** A generic JSON webhook, HMAC-signed. */
    Optional<Webhook> webhook();

    /** An EventBridge custom bus: one CloudEvent per change (PutEvents, signed with the function's credentials). */
    Optional<EventBridge> eventbridge();

    /** A kubeconfig expiring within this that was not renewed is announced. */
    @WithDefault("P30D")
    Duration warnBefore();

    /** Delivery attempts per message and channel (backoff doubling from 1 s). */
    @WithDefault("3")
    int attempts();

    interface DingTalk {
        String url();

        Optional<String> secret();
    }

    interface EventBridge {
        /** The custom event bus's name. */
        String bus();

        /**
         * The data-plane endpoint as an https:// URL; default {@code https://<FC_ACCOUNT_ID>.eventbridge.<ack.region>
         * .aliyuncs.com} (EventBridge's public endpoint; its VPC endpoint speaks plain HTTP only, which we refuse).
         */
        Optional<String> endpoint();
    }

    interface Webhook {
        String url();

        String secret();
    }
}
