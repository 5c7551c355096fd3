//! Order-preserving parallel map over documents with scoped std threads.

/// Below this much Markdown (bytes) threads cost more than they save.
const MIN_PARALLEL_BYTES: usize = 256 * 1024;

/// Number of worker threads for `items` units of work totalling `bytes` bytes.
pub(super) fn workers(items: usize, bytes: usize) -> usize {
    if items < 4 || bytes < MIN_PARALLEL_BYTES {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(items)
}

/// `items.iter().map(f).collect()`, split over `threads` scoped threads, results in input order.
/// Items are dealt round-robin so uneven document sizes balance out.
pub(super) fn map<'a, T: Sync, R: Send>(
    items: &'a [T],
    threads: usize,
    f: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    let mut slots: Vec<Option<R>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    items
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, x)| (i, f(x)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for h in handles {
            // The analysis never panics by construction; a worker that did simply yields nothing.
            for (i, r) in h.join().unwrap_or_default() {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Some(r);
                }
            }
        }
        slots
    });
    slots.iter_mut().filter_map(Option::take).collect()
}
