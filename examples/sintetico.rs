//! Writes the synthetic plan that `cargo bench` measures
//! (src/synthetic.rs), so that other builds of piao (the `dist` profile, the
//! Windows exe) can be timed on the same workbook:
//! `cargo run --release --example sintetico -- 600 sintetico-600.xlsx`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(path)) = (args.first().and_then(|n| n.parse::<usize>().ok()), args.get(1)) else {
        eprintln!("uso: sintetico INDICATORI FILE.xlsx");
        return std::process::ExitCode::from(2);
    };
    match piao::synthetic::workbook(n)
        .map_err(|e| e.to_string())
        .and_then(|b| std::fs::write(path, b).map_err(|e| e.to_string()))
    {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
