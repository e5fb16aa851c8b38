package io.ackrotator.settings;

import java.net.URI;

/** Configured URLs the function sends things to. */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * {@code url} when it is https://, or plain http:// to this machine's loopback (a local stand-in); otherwise
     * start-up fails naming {@code property}: what we send carries cluster IDs, errors and signatures.
     */
    public static String httpsOrLoopback(String property, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not a URL");
        }
        boolean loopback = "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost())
                || "localhost".equals(uri.getHost()));
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalArgumentException(property + " must be an https:// URL");
        }
        return url;
    }
}
