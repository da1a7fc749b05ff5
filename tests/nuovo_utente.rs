//! What a new user tripped on (issue «What a new user tripped on»): help and
//! usage errors wholly Italian, the document date, hints for what planners
//! write, and every diagnostic of `check` naming its file.

mod common;

use common::C::*;
use common::*;

#[test]
fn usage_errors_and_help_pages_are_italian() {
    // (No arguments at all is a double-click: it opens the web page, see
    // tests/avvio.rs.)
    for args in [&["bulid"][..], &["build"], &["check", "--bogus", "x.xlsx"]] {
        let o = piao(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.starts_with("errore: "), "{args:?}: {err}");
        for english in ["error:", "Usage:", "For more information", "[OPTIONS]", "tip:", "try '--help'"] {
            assert!(!err.contains(english), "{args:?} still prints «{english}»:\n{err}");
        }
    }
    for command in ["build", "check", "diff", "watch", "template"] {
        let o = piao(&[command, "--help"]);
        assert!(o.status.success());
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("Uso: piao"), "{help}");
        for english in ["Usage:", "[OPTIONS]", "[default:", "Options:", "Arguments:"] {
            assert!(!help.contains(english), "piao {command} --help still prints «{english}»:\n{help}");
        }
    }
    let help = String::from_utf8_lossy(&piao(&["build", "--help"]).stdout).to_string();
    assert!(help.contains("[predefinito: out]"), "{help}");
    let diff = String::from_utf8_lossy(&piao(&["diff", "--help"]).stdout).to_string();
    let (prima, dopo) = (diff.find("<PRIMA>  ").expect("PRIMA listed"), diff.find("<DOPO>  ").expect("DOPO listed"));
    assert!(prima < dopo, "PRIMA must come before DOPO:\n{diff}");
}

#[test]
fn without_a_date_the_documents_carry_the_legal_deadlines_and_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, ">= 80%");
    let out = dir.path().join("out");
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "manca la data dei documenti: l'Allegato al PIAO porta il 31/01/2025 e la Relazione il 30/06/2026"
        ),
        "{}",
        stderr(&o)
    );
    // A Relazione on 2025 is never dated inside 2025.
    let relazione = pdf_text(&out.join("2025_relazione.pdf"));
    assert!(relazione.contains("30/06/2026") && !relazione.contains("01/01/2025"), "{relazione}");
    let allegato = pdf_text(&out.join("2025_allegato.pdf"));
    assert!(allegato.contains("31/01/2025"), "{allegato}");
}

#[test]
fn unreadable_targets_get_the_nearest_accepted_form_with_the_plans_year() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (target, hint) in [
        ("Annuale", "«Annuale» è una periodicità, non un target"),
        ("30/06/2025 31/12/2025", "la cella contiene 2 scadenze (30/06/2025, 31/12/2025)"),
        ("Rispetto della tempistica prevista:sì/no", "scrivere solo «si»"),
        ("circa cinque", "«Entro 31/12/2025»"),
    ] {
        let wb = dir.path().join("piano.xlsx");
        small_plan(&wb, target);
        let o = piao(&["check", wb.to_str().expect("p")]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("piano.xlsx: Indicatori!E2") && err.contains(hint), "{target}: {err}");
    }
}

#[test]
fn check_names_the_file_of_every_diagnostic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("pesi.xlsx");
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Prova")],
                    vec![S("Anno"), N(2025.0)],
                    vec![S("Data"), D(2025, 1, 30)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("Imprese digitali"), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso")],
                    vec![S("I1"), S("OS1"), S("Pratiche"), S("10"), N(20.0)],
                    vec![S("I2"), S("OS1"), S("Eventi"), S("5"), N(20.0)],
                ],
            ),
        ],
    );
    let o = piao(&["check", wb.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("avviso")).collect();
    assert!(!warnings.is_empty(), "the weights total 40: a warning is expected\n{err}");
    for w in warnings {
        assert!(w.contains("pesi.xlsx"), "a warning without its file: {w}");
    }
}
