//! A process that nobody scrapes keeps no more of its histograms than a few seconds of samples:
//! the reducer records two samples per committed batch for as long as it runs, and a soak of
//! twenty minutes showed its memory growing with nothing else to explain it.
//!
//! A test binary of its own: it counts every byte the process holds (its own global allocator),
//! so no other test may run beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

/// The system allocator, counting the bytes held.
struct Counting;

static HELD: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on as it is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            HELD.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc`, passed on as it is.
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held_mib() -> f64 {
    HELD.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
}

/// Records `batches` committed batches, as the reducer does with each (two samples).
fn commit_batches(batches: usize) {
    for i in 0..batches {
        server::metrics::batch_committed(500 + i % 7, 0.004);
    }
}

#[test]
fn a_reducer_nobody_scrapes_keeps_only_seconds_of_its_histograms() {
    assert!(
        server::metrics::install().is_some(),
        "the recorder installs"
    );
    // The histograms exist and the upkeep has run once: what is held now is the baseline.
    commit_batches(1_000);
    std::thread::sleep(server::metrics::UPKEEP_EVERY + Duration::from_secs(1));
    commit_batches(1_000);
    let before = held_mib();

    // A reducer's hours in a few seconds: 1,500,000 batches, three million samples (about
    // 24 MiB if they were all kept), and never a scrape.
    commit_batches(1_500_000);
    // Past the next upkeep, with a trickle of batches meanwhile, as a live reducer has: what
    // the upkeep frees is given back as the recorder is used again.
    for _ in 0..((server::metrics::UPKEEP_EVERY.as_millis() / 100) + 10) {
        commit_batches(100);
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = held_mib();

    assert!(
        after - before < 4.0,
        "the process holds {:.1} MiB more after three million samples ({before:.1} → {after:.1} MiB)",
        after - before
    );
}
