package dev.drawbridge.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The server-rendered pages (docs/dashboard.md): jte templates under {@code src/main/jte}, compiled to Java
 * classes at build time (beside the page models in this package, which stay package-private), HTML-escaping every value by default.
 * Plain HTML and CSS, no JavaScript. The decision page is the target_url of every commit status.
 */
final class Pages {

    static final String TEMPLATES = "dev.drawbridge.web";

    // precompiled: the classes are on the class path; nothing is parsed or compiled at run time
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, TEMPLATES);

    private Pages() {
    }

    static String decision(DecisionPage page) {
        return render("decision.jte", page);
    }

    static String dashboard(DashboardPage page) {
        return render("dashboard.jte", page);
    }

    static String priorities(InsightPages.PrioritiesPage page) {
        return render("priorities.jte", page);
    }

    static String teams(InsightPages.TeamsPage page) {
        return render("teams.jte", page);
    }

    static String exceptions(InsightPages.ExceptionsPage page) {
        return render("exceptions.jte", page);
    }

    static String notFound(String what) {
        return render("notFound.jte", what);
    }

    private static String render(String template, Object param) {
        StringOutput out = new StringOutput(8192);
        ENGINE.render(template, param, out);
        return out.toString();
    }
}
