//! Fuzzes the target-expression grammar and the Italian number parser:
//! any text must parse or be refused with a message, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use piao::model::{Expr, Op};

fuzz_target!(|text: &str| {
    for op in [Op::Ge, Op::Le, Op::Eq] {
        if let Ok(e) = Expr::parse(text, op) {
            assert_eq!(e.text, text.trim());
        }
    }
    let _ = piao::read::parse_italian_number(text);
});
