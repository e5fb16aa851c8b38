package io.ackrotator.page;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML pages, type-checked against their templates at build time (templates/&lt;method&gt;.html). */
@CheckedTemplate
public final class Pages {

    private Pages() {
    }

    public static native TemplateInstance timeline(TimelinePage page);
}
