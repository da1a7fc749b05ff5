//! Memory stays flat over many uploads: 200 different small plans built one
//! after the other by one `piao serve` process end within a bounded resident
//! size (typst's caches are evicted after each build, as `watch` does).

mod common;
mod serve_common;

use serve_common::*;

#[test]
fn two_hundred_uploads_end_within_a_bounded_resident_size() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut b = Browser::new(&server);
    let mut upload = |i: usize| {
        let p = dir.path().join(format!("piano{i}.xlsx"));
        // Every plan differs (entity, figures), so nothing is reused from a
        // cache: each upload lays out new documents.
        plan_of(&p, &format!("Camera di Commercio numero {i}"), &format!("{}%", 50 + i % 50));
        let page = b.upload(&format!("piano{i}.xlsx"), &std::fs::read(&p).expect("read"));
        assert_eq!(page.status, 200, "upload {i}");
        assert!(page.text().contains("Documenti pronti"), "upload {i}");
    };
    for i in 0..20 {
        upload(i);
    }
    let warm = server.rss_kib();
    let mut peak = warm;
    for i in 20..200 {
        upload(i);
        if i % 20 == 0 {
            peak = peak.max(server.rss_kib());
        }
    }
    let end = server.rss_kib();
    peak = peak.max(end);
    assert_eq!(server.versions().len(), 200);
    // Without eviction typst's caches grow with every new document; here the
    // resident size after 200 builds stays near the size after 20.
    assert!(end <= warm + warm / 2 + 32 * 1024, "after 20 uploads {warm} KiB, after 200 {end} KiB");
    assert!(peak < 1024 * 1024, "peak resident size {peak} KiB over 1 GiB");
    eprintln!("resident size: {warm} KiB after 20 uploads, {end} KiB after 200, peak sampled {peak} KiB");
}
