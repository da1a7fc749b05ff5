//! Italian display formats, applied only when a figure is shown: `1.234,56`,
//! `95,0%`, `31/12/2025`. Rounding is half away from zero.

use crate::model::WeightScale;
use rust_decimal::{Decimal, RoundingStrategy};

/// `1234.5` with 2 decimals is `1.234,50`.
pub fn number(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "-" } else { "" };
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped},{frac}") }
}

/// A number with as many decimals as it has (up to 6), Italian style:
/// `2.5` is `2,5`, `1150` is `1.150`.
pub fn plain(value: Decimal) -> String {
    let v = value.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero).normalize();
    number(v, v.scale())
}

/// A fraction as a percentage: `0.94378` with 1 decimal is `94,4%`.
pub fn percent(fraction: Decimal, decimals: u32) -> String {
    format!("{}%", number(fraction * Decimal::ONE_HUNDRED, decimals))
}

/// A fraction as a percentage with only the decimals it needs (`0.999` is
/// `99,9%`).
pub fn percent_plain(fraction: Decimal) -> String {
    format!("{}%", plain(fraction * Decimal::ONE_HUNDRED))
}

/// A fraction rounded as [`percent`] prints it with `decimals` decimals
/// (`0.99995` with 1 decimal is `1`, printed `100,0%`): statuses are decided
/// on this value, so that they agree with the printed figure.
pub fn percent_as_printed(fraction: Decimal, decimals: u32) -> Decimal {
    (fraction * Decimal::ONE_HUNDRED).round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
        / Decimal::ONE_HUNDRED
}

/// A weight (or a total of weights) in its column's scale, decided once per
/// column by the model: shares of one print as percentages (`0,25` is
/// `25%`), percentage points as written (`30`, `1`).
pub fn weight(value: Decimal, scale: WeightScale) -> String {
    match scale {
        WeightScale::Fraction => percent_plain(value),
        WeightScale::Points => plain(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn italian_grouping_and_rounding_half_away_from_zero() {
        assert_eq!(number(dec("1234.5"), 2), "1.234,50");
        assert_eq!(number(dec("542816.75"), 0), "542.817");
        assert_eq!(number(dec("-25.98"), 1), "-26,0");
        assert_eq!(number(dec("0.5"), 0), "1");
        assert_eq!(number(dec("-0.5"), 0), "-1");
        assert_eq!(number(dec("-0.04"), 1), "0,0");
        assert_eq!(number(dec("999"), 0), "999");
        assert_eq!(number(dec("1000000"), 0), "1.000.000");
    }

    #[test]
    fn percentages_and_weights() {
        assert_eq!(percent(dec("0.94377"), 1), "94,4%");
        assert_eq!(percent(dec("0.835102"), 0), "84%");
        assert_eq!(percent_plain(dec("0.999")), "99,9%");
        assert_eq!(plain(dec("2.50")), "2,5");
        assert_eq!(weight(dec("0.25"), WeightScale::Fraction), "25%");
        assert_eq!(weight(dec("0.333"), WeightScale::Fraction), "33,3%");
        assert_eq!(weight(dec("1.001"), WeightScale::Fraction), "100,1%");
        assert_eq!(weight(dec("30"), WeightScale::Points), "30");
        assert_eq!(weight(dec("1"), WeightScale::Points), "1");
    }

    #[test]
    fn rounding_as_printed() {
        assert_eq!(percent_as_printed(dec("0.99995"), 1), dec("1"));
        assert_eq!(percent_as_printed(dec("0.99949"), 1), dec("0.999"));
        assert_eq!(percent_as_printed(dec("0.69995"), 1), dec("0.7"));
        assert_eq!(percent_as_printed(dec("0.995"), 0), dec("1"));
        assert_eq!(percent_as_printed(dec("0.9949"), 0), dec("0.99"));
        assert_eq!(percent(dec("0.69995"), 1), "70,0%");
    }
}
