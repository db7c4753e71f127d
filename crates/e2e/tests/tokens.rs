//! The design tokens keep text readable in both themes: every text colour is
//! at least 4.5:1 (WCAG 2.2 AA) on each surface it is used on, in the light
//! theme and in the dark theme that follows `prefers-color-scheme`.

use std::collections::HashMap;

fn tokens() -> String {
    std::fs::read_to_string(e2e::workspace_root().join("style/tokens.css")).expect("style/tokens.css")
}

/// `--name: #rrggbb` declarations in `block`.
fn colours(block: &str) -> HashMap<String, [f64; 3]> {
    let mut out = HashMap::new();
    for line in block.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("--color-") else { continue };
        let Some((name, value)) = rest.split_once(':') else { continue };
        let value = value.split(';').next().unwrap_or_default().trim();
        if let Some(hex) = value.strip_prefix('#').filter(|h| h.len() == 6) {
            let c = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
            out.insert(name.trim().to_string(), [c(0), c(2), c(4)]);
        }
    }
    out
}

fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let lin = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text colour on background, as the stylesheets pair them.
const PAIRS: &[(&str, &str)] = &[
    ("text", "bg"),
    ("text", "surface"),
    ("text", "surface-muted"),
    ("text-muted", "bg"),
    ("text-muted", "surface"),
    ("link", "bg"),
    ("link", "surface"),
    ("on-accent", "accent"),
    ("on-accent", "accent-hover"),
    ("success-text", "success-bg"),
    ("warning-text", "warning-bg"),
    ("error-text", "error-bg"),
    ("info-text", "info-bg"),
    ("verified", "surface"),
    ("error-text", "surface"),
];

fn check(theme: &str, palette: &HashMap<String, [f64; 3]>) {
    let mut failures = Vec::new();
    for (fg, bg) in PAIRS {
        let (Some(f), Some(b)) = (palette.get(*fg), palette.get(*bg)) else {
            panic!("{theme}: --color-{fg} or --color-{bg} is missing or not #rrggbb");
        };
        let ratio = contrast(*f, *b);
        if ratio < 4.5 {
            failures.push(format!("{fg} on {bg}: {ratio:.2}:1"));
        }
    }
    assert!(failures.is_empty(), "{theme} theme below 4.5:1: {failures:?}");
}

#[test]
fn text_is_at_least_4_5_to_1_in_the_light_theme() {
    let css = tokens();
    let light = css.split("@media").next().expect("the :root block");
    check("light", &colours(light));
}

#[test]
fn text_is_at_least_4_5_to_1_in_the_dark_theme() {
    let css = tokens();
    let dark = css.split("@media (prefers-color-scheme: dark)").nth(1).expect("a dark theme in tokens.css");
    let dark = dark.split("@media").next().unwrap_or(dark);
    let mut palette = colours(css.split("@media").next().unwrap_or_default());
    let overrides = colours(dark);
    assert!(overrides.len() >= 15, "the dark theme sets every colour ({} set)", overrides.len());
    palette.extend(overrides);
    check("dark", &palette);
}

#[test]
fn the_contrast_formula_matches_wcag() {
    assert!((contrast([0.0; 3], [1.0; 3]) - 21.0).abs() < 1e-9);
    assert!((contrast([1.0; 3], [1.0; 3]) - 1.0).abs() < 1e-9);
}
