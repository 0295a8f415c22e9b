//! An ordered parallel map: jobs produced in order on the calling thread, run
//! on `threads` threads, and their outputs handed to a sink in the same order.
//!
//! The writer side holds a bounded queue of one-shot receivers (two per
//! thread), so at most `2 x threads` jobs are queued and memory stays
//! bounded. With one thread, jobs run inline on the calling thread, in the same
//! order, through the same `work` function.
//!
//! With `threads` = N > 1, N - 1 worker threads run jobs, and the calling
//! thread, between producing jobs (the chunker: the sequential part), runs
//! the oldest queued job itself whenever the queue is full instead of
//! waiting. So N threads are busy whichever side is slower: when producing
//! is cheap (masking rules), the caller is nearly a full worker; when it is
//! not (empty rules), the workers never wait for a caller that a worker
//! thread has pushed off its core. Who runs a job never changes the output:
//! each job answers on its own one-shot channel, read in job order.

use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender, TrySendError};

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
        for _ in 1..threads {
            let rx = job_rx.clone();
            s.spawn(move || {
                let mut scratch = S::default();
                for (job, reply) in rx {
                    // The sink may have stopped after an error: ignore send failures.
                    let _ = reply.send(work(job, &mut scratch));
                }
            });
        }
        let writer = s.spawn(move || -> Result<()> {
            for rx in order_rx {
                let out = rx.recv().expect("every queued job is answered");
                sink(out)?;
            }
            Ok(())
        });
        // The calling thread: produce jobs; when the queue is full, run the
        // oldest queued job here rather than wait for a worker.
        let mut scratch = S::default();
        'produce: while let Some(job) = next() {
            let (tx, rx) = bounded(1);
            if order_tx.send(rx).is_err() {
                break;
            }
            let mut queued = (job, tx);
            loop {
                match job_tx.try_send(queued) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) => {
                        queued = back;
                        if let Ok((oldest, reply)) = job_rx.try_recv() {
                            let _ = reply.send(work(oldest, &mut scratch));
                        }
                    }
                    Err(TrySendError::Disconnected(_)) => break 'produce,
                }
            }
        }
        drop(job_tx);
        // Jobs still queued are run by the workers; the caller helps finish them.
        while let Ok((job, reply)) = job_rx.try_recv() {
            let _ = reply.send(work(job, &mut scratch));
        }
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

    /// The calling thread runs queued jobs when the queue is full: with two
    /// threads, jobs run on exactly two threads, and order is kept.
    #[test]
    fn caller_helps_when_the_queue_is_full() {
        use std::collections::HashSet;
        use std::sync::Mutex;
        let caller = std::thread::current().id();
        let seen = Mutex::new(HashSet::new());
        let mut jobs = 0..100u64;
        let mut got = Vec::new();
        ordered_map(
            2,
            || jobs.next(),
            |j: u64, _: &mut ()| {
                seen.lock().unwrap().insert(std::thread::current().id());
                std::thread::sleep(std::time::Duration::from_micros(200));
                j + 1
            },
            |o| {
                got.push(o);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(got, (1..=100).collect::<Vec<_>>());
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 2, "one worker thread and the caller");
        assert!(seen.contains(&caller), "the caller ran jobs too");
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
