//! An ordered parallel map: jobs produced in order on the calling thread, run
//! on `threads` workers, and their outputs handed to a sink in the same order.
//!
//! The writer side holds a bounded queue of one-shot receivers (two per
//! worker), so at most `2 x threads` jobs are in flight and memory stays
//! bounded. With one thread, jobs run inline on the calling thread, in the same
//! order, through the same `work` function.

use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::error::Result;

/// Run `work` over the jobs from `next` (until it returns `None`) and give the
/// outputs to `sink` in job order. Stops early when `sink` fails; returns its error.
pub(crate) fn ordered_map<J, O, S>(
    threads: usize,
    mut next: impl FnMut() -> Option<J>,
    work: impl Fn(J, &mut S) -> O + Sync,
    mut sink: impl FnMut(O) -> Result<()> + Send,
) -> Result<()>
where
    J: Send,
    O: Send,
    S: Default,
{
    if threads <= 1 {
        let mut scratch = S::default();
        while let Some(job) = next() {
            sink(work(job, &mut scratch))?;
        }
        return Ok(());
    }
    let (job_tx, job_rx) = bounded::<(J, Sender<O>)>(threads * 2);
    let (order_tx, order_rx) = bounded::<Receiver<O>>(threads * 2);
    let work = &work;
    thread::scope(|s| {
        for _ in 0..threads {
            let rx = job_rx.clone();
            s.spawn(move || {
                let mut scratch = S::default();
                for (job, reply) in rx {
                    // The sink may have stopped after an error: ignore send failures.
                    let _ = reply.send(work(job, &mut scratch));
                }
            });
        }
        drop(job_rx);
        let writer = s.spawn(move || -> Result<()> {
            for rx in order_rx {
                let out = rx.recv().expect("workers reply to every job they take");
                sink(out)?;
            }
            Ok(())
        });
        while let Some(job) = next() {
            let (tx, rx) = bounded(1);
            if order_tx.send(rx).is_err() || job_tx.send((job, tx)).is_err() {
                break;
            }
        }
        drop(job_tx);
        drop(order_tx);
        writer.join().expect("writer thread panicked")
    })
}

/// Adapt a fallible chunk source to [`ordered_map`]'s job source: chunks
/// until the first error, which becomes the last job (so it is reported in
/// order, after the chunks before it).
pub(crate) fn until_error<C, E>(
    mut next: impl FnMut() -> std::result::Result<Option<C>, E>,
) -> impl FnMut() -> Option<std::result::Result<C, E>> {
    let mut failed = false;
    move || {
        if failed {
            return None;
        }
        match next() {
            Ok(Some(chunk)) => Some(Ok(chunk)),
            Ok(None) => None,
            Err(e) => {
                failed = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_on_any_thread_count() {
        for threads in [1, 2, 4] {
            let mut jobs = (0..200u64).rev();
            let mut got = Vec::new();
            ordered_map(
                threads,
                || jobs.next(),
                |j: u64, _: &mut ()| {
                    // Uneven work so that completion order differs from job order.
                    std::thread::sleep(std::time::Duration::from_micros(j % 7 * 50));
                    j * 2
                },
                |o| {
                    got.push(o);
                    Ok(())
                },
            )
            .unwrap();
            let want: Vec<u64> = (0..200u64).rev().map(|j| j * 2).collect();
            assert_eq!(got, want, "threads {threads}");
        }
    }

    #[test]
    fn stops_when_the_sink_fails() {
        let mut produced = 0;
        let err = ordered_map(
            2,
            || {
                produced += 1;
                (produced < 10_000).then_some(produced)
            },
            |j: u32, _: &mut ()| j,
            |o| {
                if o == 5 {
                    Err(crate::Error::from(std::io::Error::other("sink failed")))
                } else {
                    Ok(())
                }
            },
        );
        assert!(err.is_err());
        assert!(produced < 10_000);
    }
}
