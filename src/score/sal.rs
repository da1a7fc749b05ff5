//! SAL (stato di avanzamento) of one indicator in one year: the spec's table
//! of rules, in exact decimals.

use crate::model::{Expr, Op, Settings, Value};
use rust_decimal::Decimal;

/// The SAL of `actual` against `target`, as a fraction, after the cap
/// (Tetto) and the floor (Soglia minima). The error says, in Italian, why
/// the two cannot be compared.
pub fn sal(target: &Expr, actual: &Expr, baseline: Option<&Expr>, settings: &Settings) -> Result<Decimal, String> {
    let raw = raw_sal(target, actual, baseline, settings)?;
    let mut s = raw.max(Decimal::ZERO);
    if let Some(cap) = settings.cap {
        s = s.min(cap);
    }
    if s < settings.floor {
        s = Decimal::ZERO;
    }
    Ok(s)
}

fn bool_sal(ok: bool) -> Decimal {
    if ok { Decimal::ONE } else { Decimal::ZERO }
}

fn raw_sal(target: &Expr, actual: &Expr, baseline: Option<&Expr>, settings: &Settings) -> Result<Decimal, String> {
    let mismatch = || format!("consuntivo «{}» non confrontabile con il target «{}»", actual.text, target.text);
    match (&target.value, &actual.value) {
        (Value::Number { value: t, .. }, Value::Number { value: a, .. }) => number_sal(target.op, *t, *a, baseline)
            .ok_or_else(|| {
                format!("valori troppo grandi per il calcolo: target «{}», consuntivo «{}»", target.text, actual.text)
            }),
        (Value::Date { date: t }, Value::Date { date: a }) => {
            let late = (*a - *t).num_days();
            Ok(bool_sal(match target.op {
                Op::Ge | Op::Gt => late >= 0,
                Op::Eq => late == 0,
                Op::Le | Op::Lt => late <= settings.late_days,
            }))
        }
        (Value::YesNo { yes: t }, Value::YesNo { yes: a }) => Ok(bool_sal(t == a)),
        (Value::Level { scale: st, rank: t, .. }, Value::Level { scale: sa, rank: a, .. }) if st == sa => {
            Ok(bool_sal(match target.op {
                Op::Ge | Op::Gt => a >= t,
                Op::Le | Op::Lt => a <= t,
                Op::Eq => a == t,
            }))
        }
        _ => Err(mismatch()),
    }
}

/// The SAL of a numeric target; `None` only when the figures are too large
/// for exact arithmetic.
fn number_sal(op: Op, t: Decimal, a: Decimal, baseline: Option<&Expr>) -> Option<Decimal> {
    let holds = match op {
        Op::Ge | Op::Gt => a >= t,
        Op::Le | Op::Lt => a <= t,
        Op::Eq => return Some(bool_sal(a == t)),
    };
    if t > Decimal::ZERO {
        return match op {
            Op::Ge | Op::Gt => a.checked_div(t),
            _ if holds => Some(Decimal::ONE),
            // a > t > 0 here.
            _ => t.checked_div(a),
        };
    }
    if holds {
        return Some(Decimal::ONE);
    }
    // t <= 0 and the condition fails: the share of the way from the
    // baseline to the target covered, when the baseline was on the failing
    // side of the target.
    let failing_side = |b: Decimal| match op {
        Op::Le | Op::Lt => b > t,
        _ => b < t,
    };
    match baseline.map(|b| &b.value) {
        Some(Value::Number { value: b, .. }) if failing_side(*b) => {
            let share = a.checked_sub(*b)?.checked_div(t.checked_sub(*b)?)?;
            Some(share.clamp(Decimal::ZERO, Decimal::ONE))
        }
        _ => Some(Decimal::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(text: &str) -> Expr {
        Expr::parse(text, Op::Ge).unwrap_or_else(|m| panic!("{text}: {m}"))
    }

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn s(target: &str, actual: &str) -> Decimal {
        sal(&e(target), &e(actual), None, &Settings::default()).expect("comparable")
    }

    #[test]
    fn published_figures_of_arezzo_siena_2019() {
        // Relazione 2019, 7.1.a: € 650.000 target, € 542.816,75 actual, SAL 84%.
        let proventi = s("€ 650.000", "€ 542.816,75");
        assert_eq!(proventi.round_dp(4), dec("0.8351"));
        assert_eq!(s("≥ 1", "0,94"), dec("0.94"));
        assert_eq!(s("≥73%", "73,17%"), Decimal::ONE);
        assert_eq!(s("< 1", "0,94"), Decimal::ONE);
        assert_eq!(s("≥1", "0,98"), dec("0.98"));
    }

    #[test]
    fn at_most_targets() {
        assert_eq!(s("<= 4", "2"), Decimal::ONE);
        assert_eq!(s("<= 4", "5"), dec("0.8"));
        assert_eq!(s("< 20", "25"), dec("0.8"));
        assert_eq!(s("<= 4", "-1"), Decimal::ONE);
    }

    #[test]
    fn non_positive_targets_hold_or_use_the_baseline() {
        assert_eq!(s("≤ -20", "-25,98"), Decimal::ONE);
        assert_eq!(s("≤ -20", "-10"), Decimal::ZERO);
        let b = e("0");
        let got = sal(&e("≤ -20"), &e("-10"), Some(&b), &Settings::default()).expect("comparable");
        assert_eq!(got, dec("0.5"));
    }

    #[test]
    fn deadlines_yes_no_levels_and_equality() {
        assert_eq!(s("31/12/2019", "05/11/2019"), Decimal::ONE);
        assert_eq!(s("31/12/2019", "17/02/2020"), Decimal::ZERO);
        let lenient = Settings { late_days: 60, ..Settings::default() };
        assert_eq!(sal(&e("31/12/2019"), &e("17/02/2020"), None, &lenient), Ok(Decimal::ONE));
        assert_eq!(s("si", "SI"), Decimal::ONE);
        assert_eq!(s("si", "no"), Decimal::ZERO);
        assert_eq!(s("≥ Buono", "Ottimo"), Decimal::ONE);
        assert_eq!(s("≥ Buono", "Discreto"), Decimal::ZERO);
        assert_eq!(s("Positivo", "Positivo"), Decimal::ONE);
        assert_eq!(s("= 3", "3,0"), Decimal::ONE);
        assert_eq!(s("= 3", "4"), Decimal::ZERO);
    }

    #[test]
    fn figures_too_large_for_exact_arithmetic_are_refused_not_a_panic() {
        let huge = Expr::parse("79.228.162.514.264.337.593.543.950.335", Op::Ge).expect("largest decimal");
        let half = Expr::parse("0,5", Op::Ge).expect("number");
        assert!(sal(&half, &huge, None, &Settings::default()).is_err());
        let tiny = Expr::parse("-79.228.162.514.264.337.593.543.950.335", Op::Ge).expect("smallest decimal");
        let target = Expr::parse("<= -1", Op::Ge).expect("number");
        let base = Expr::parse("79.228.162.514.264.337.593.543.950.335", Op::Ge).expect("number");
        assert!(sal(&target, &base, Some(&tiny), &Settings::default()).is_ok());
    }

    #[test]
    fn a_baseline_already_past_the_target_gives_no_credit() {
        let b = e("-30");
        let got = sal(&e("≤ -20"), &e("-10"), Some(&b), &Settings::default()).expect("comparable");
        assert_eq!(got, Decimal::ZERO);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn decimal() -> impl Strategy<Value = Decimal> {
            (-2_000_000i64..2_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))
        }

        fn number(op: Op, v: Decimal) -> Expr {
            Expr { text: v.to_string(), op, explicit_op: true, value: Value::Number { value: v, unit: None } }
        }

        fn settings() -> impl Strategy<Value = Settings> {
            (
                prop_oneof![Just(None), Just(Some(Decimal::ONE)), Just(Some(Decimal::new(12, 1)))],
                prop_oneof![Just(Decimal::ZERO), Just(Decimal::new(5, 1))],
            )
                .prop_map(|(cap, floor)| Settings { cap, floor, ..Settings::default() })
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![Just(Op::Ge), Just(Op::Gt), Just(Op::Le), Just(Op::Lt), Just(Op::Eq)]
        }

        proptest! {
            #[test]
            fn sal_stays_between_zero_and_the_cap(op in op(), t in decimal(), a in decimal(), b in proptest::option::of(decimal()), s in settings()) {
                let base = b.map(|b| number(Op::Ge, b));
                let got = sal(&number(op, t), &number(Op::Ge, a), base.as_ref(), &s).expect("numbers compare");
                prop_assert!(got >= Decimal::ZERO);
                if let Some(cap) = s.cap {
                    prop_assert!(got <= cap);
                }
            }

            #[test]
            fn sal_never_decreases_as_the_actual_improves(op in prop_oneof![Just(Op::Ge), Just(Op::Gt), Just(Op::Le), Just(Op::Lt)], t in decimal(), a1 in decimal(), a2 in decimal(), b in proptest::option::of(decimal()), s in settings()) {
                let (worse, better) = match op {
                    Op::Ge | Op::Gt => (a1.min(a2), a1.max(a2)),
                    _ => (a1.max(a2), a1.min(a2)),
                };
                let base = b.map(|b| number(Op::Ge, b));
                let target = number(op, t);
                let s_worse = sal(&target, &number(Op::Ge, worse), base.as_ref(), &s).expect("numbers compare");
                let s_better = sal(&target, &number(Op::Ge, better), base.as_ref(), &s).expect("numbers compare");
                prop_assert!(s_worse <= s_better, "{worse} → {s_worse}, {better} → {s_better}");
            }
        }
    }

    #[test]
    fn cap_floor_and_mismatched_kinds() {
        assert_eq!(s("10", "17"), Decimal::ONE);
        let uncapped = Settings { cap: None, ..Settings::default() };
        assert_eq!(sal(&e("10"), &e("17"), None, &uncapped), Ok(dec("1.7")));
        let floor = Settings { floor: dec("0.5"), ..Settings::default() };
        assert_eq!(sal(&e("10"), &e("4"), None, &floor), Ok(Decimal::ZERO));
        assert_eq!(sal(&e("10"), &e("6"), None, &floor), Ok(dec("0.6")));
        assert!(sal(&e("31/12/2019"), &e("5"), None, &Settings::default()).is_err());
        assert!(sal(&e("≥ Buono"), &e("Positivo"), None, &Settings::default()).is_err());
    }
}
