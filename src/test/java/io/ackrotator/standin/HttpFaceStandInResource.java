package io.ackrotator.standin;

import java.util.Map;

/**
 * The stand-ins, with the function configured as the HTTP function of deploy/fc/s.yaml (rotator.face=http). Nothing
 * of the cloud is imitated here beyond what {@link AckStandInResource} does (Source: deploy/fc/s.yaml's
 * rotator-http environment).
 */
public class HttpFaceStandInResource extends AckStandInResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("rotator.face", "http");
        return config;
    }
}
