//! The pages: minijinja templates embedded in the binary (HTML escaped
//! automatically), the static files (one stylesheet, one small script) and
//! the bar chart drawn as SVG on the server.

use super::pipeline::Figure;
use minijinja::Environment;

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("pages/base.html")),
    ("home.html", include_str!("pages/home.html")),
    ("versione.html", include_str!("pages/versione.html")),
    ("accesso.html", include_str!("pages/accesso.html")),
    ("errore.html", include_str!("pages/errore.html")),
];

/// The static files: name, content type, bytes.
pub const STATIC: &[(&str, &str, &[u8])] = &[
    ("piao.css", "text/css; charset=utf-8", include_bytes!("static/piao.css")),
    ("piao.js", "text/javascript; charset=utf-8", include_bytes!("static/piao.js")),
    ("favicon.svg", "image/svg+xml", include_bytes!("static/favicon.svg")),
];

/// The template environment (built once at start).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        // The templates are part of the binary: a syntax error is a bug that
        // the tests catch, never a user's input.
        if let Err(e) = env.add_template(name, source) {
            say_err!("errore interno nel modello {name}: {e}");
        }
    }
    env
}

/// Escapes text for XML (the SVG is built as a string).
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The areas' scores as a horizontal bar chart (SVG, no script, no style
/// attribute so that the Content-Security-Policy needs no exception). The
/// scale runs to 100% or to the highest score; a line marks 100%.
pub fn bar_chart(areas: &[Figure]) -> String {
    let label_w = 300.0;
    let bar_w = 380.0;
    let row = 34.0;
    let top = 10.0;
    let height = top + row * areas.len() as f64 + 24.0;
    let max = areas.iter().filter_map(|a| a.percent).fold(100.0_f64, f64::max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"grafico\" viewBox=\"0 0 {w} {height}\" role=\"img\" \
         aria-labelledby=\"grafico-titolo\"><title id=\"grafico-titolo\">Risultato per ambito, in percentuale</title>",
        w = label_w + bar_w + 90.0
    );
    let hundred = label_w + bar_w * 100.0 / max;
    for (i, a) in areas.iter().enumerate() {
        let y = top + row * i as f64;
        let name: String = a.name.chars().take(42).collect();
        let name = if name.len() < a.name.len() { format!("{name}…") } else { name };
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\" class=\"etichetta\">{}</text>",
            xml(&name),
            x = label_w - 8.0,
            ty = y + 19.0
        ));
        let w = a.percent.map_or(0.0, |p| (p.max(0.0) / max) * bar_w);
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"24\" class=\"barra {}\"/>",
            xml(&a.key),
            y = y + 3.0
        ));
        s.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{ty}\" class=\"valore\">{} {}</text>",
            xml(&a.score),
            xml(&a.symbol),
            // Past the bar and past the 100% line, so the two never overlap.
            x = (label_w + w).max(hundred) + 6.0,
            ty = y + 19.0
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{hundred:.1}\" y1=\"{top}\" x2=\"{hundred:.1}\" y2=\"{y2}\" class=\"riferimento\"/>\
         <text x=\"{hundred:.1}\" y=\"{ty}\" text-anchor=\"middle\" class=\"etichetta\">100%</text></svg>",
        y2 = height - 20.0,
        ty = height - 4.0
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn the_chart_escapes_names_and_scales_bars() {
        let f = |name: &str, p: Option<f64>| Figure {
            name: name.into(),
            score: "x".into(),
            percent: p,
            status: "raggiunto".into(),
            symbol: "●".into(),
            key: "raggiunto".into(),
        };
        let svg = bar_chart(&[f("<script>", Some(50.0)), f("B", Some(100.0)), f("C", None)]);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(svg.contains("width=\"190.0\"") && svg.contains("width=\"380.0\"") && svg.contains("width=\"0.0\""));
        assert!(!svg.contains("style="));
    }
}
