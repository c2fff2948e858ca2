//! Runs the headless Chromium check (`tests/browser/check_report.mjs`) on a page.

use std::path::Path;
use std::process::Command;

/// Runs `tests/browser/check_report.mjs` on a page; panics with its
/// findings if any check fails. Screenshots land in `out_dir` (and in
/// `$REHEARSE_KEEP_SCREENSHOTS`, if set, for a person to look at).
pub fn browser_check(
    html_path: &Path,
    out_dir: &Path,
    expect: serde_json::Value,
    name: &str,
) -> serde_json::Value {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed; run `npm ci --prefix tests/browser`"
    );
    let output = Command::new("node")
        .arg(browser_dir.join("check_report.mjs"))
        .arg(html_path)
        .arg(out_dir)
        .arg(expect.to_string())
        .current_dir(&browser_dir)
        .output()
        .expect("node runs; install Debian's `nodejs` and `chromium`");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    if let Ok(keep) = std::env::var("REHEARSE_KEEP_SCREENSHOTS") {
        for file in [
            format!("{name}.png"),
            format!("{name}-phone.png"),
            format!("{name}.html"),
        ] {
            let _ = std::fs::copy(out_dir.join(&file), Path::new(&keep).join(&file));
        }
    }
    assert!(
        output.status.success(),
        "browser check failed:\n{stdout}\n{stderr}"
    );
    let findings: serde_json::Value = serde_json::from_str(stdout.trim()).expect("findings JSON");
    assert_eq!(findings["failures"].as_array().map(Vec::len), Some(0));
    assert!(out_dir.join(format!("{name}.png")).is_file());
    findings
}
