package bench;

import io.quarkus.funqy.Funq;

public class Hello {

    @Funq
    public String initialize() {
        return "initialized";
    }

    @Funq
    public String status() {
        return "ok";
    }
}
