//! The audit log's copy in CloudWatch Logs (`[audit] cloudwatch_log_group`):
//! when a command ends, the whole log (its chain from the first record, as
//! the S3 copy) goes to the stream `<run id>/<command>` of the group, one
//! event per record in chain order; and the chain read back from a stream
//! for `audit verify`. This module owns the group and stream creation, the
//! cut of the events into `PutLogEvents` batches within the API's limits,
//! the framing of a record too long for one event, and the retries of
//! throttled calls. It only carries the records the audit log wrote:
//! never a password, a key or a value from the data.

use std::ops::Range;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs::error::DisplayErrorContext;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use aws_sdk_cloudwatchlogs::Client;
use serde_json::{Map, Value};

use super::audit::{self, AuditError};
use super::names::parse_rfc3339;

/// What one `PutLogEvents` call and one event may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Events per batch.
    pub batch_events: usize,
    /// Bytes per batch: the messages in UTF-8 plus `event_overhead` each.
    pub batch_bytes: usize,
    /// Bytes counted for each event beside its message.
    pub event_overhead: usize,
    /// Bytes of one event, message and overhead.
    pub event_bytes: usize,
    /// Milliseconds from a batch's first event to its last (less than 24 h).
    pub batch_span_ms: i64,
}

impl Limits {
    /// CloudWatch Logs' `PutLogEvents` limits.
    pub const AWS: Limits = Limits {
        batch_events: 10_000,
        batch_bytes: 1_048_576,
        event_overhead: 26,
        event_bytes: 256 * 1024,
        batch_span_ms: 24 * 3600 * 1000 - 1,
    };
}

/// CloudWatch Logs refuses events older than this (or than the group's
/// retention).
const MAX_AGE_MS: i64 = 14 * 24 * 3600 * 1000;

/// The message prefix of each part of a record too long for one event:
/// `masker-audit-part I/N ` then the part's text; the parts joined in order
/// are the record.
pub const PART: &str = "masker-audit-part ";

/// Room kept in a part's event for its `PART I/N ` header.
const PART_HEADER_ROOM: usize = 64;

/// Streams tried for one command (`<run id>/<command>`, then `-2`, `-3`,
/// ...: a retried command keeps the earlier copy and writes a new one).
const STREAM_ATTEMPTS: usize = 100;

/// A CloudWatch Logs call that failed, or events it refused.
#[derive(Debug, thiserror::Error)]
#[error("CloudWatch Logs {action} {target}: {cause}")]
pub struct CloudWatchError {
    /// The API action (`logs:PutLogEvents`).
    pub action: String,
    /// The log group, and stream when there is one.
    pub target: String,
    /// Why.
    pub cause: String,
}

fn fail(action: &str, target: &str, cause: impl std::fmt::Display) -> CloudWatchError {
    CloudWatchError {
        action: action.to_owned(),
        target: target.to_owned(),
        cause: cause.to_string(),
    }
}

fn target(group: &str, stream: &str) -> String {
    format!("log group {group} stream {stream}")
}

/// One log event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    /// The record (or a part of it).
    pub message: String,
}

/// The retries of every CloudWatch Logs call: throttling and transient
/// errors are retried up to 10 attempts, with exponential backoff and
/// jitter from 0.5 s to 20 s.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(10)
        .with_initial_backoff(Duration::from_millis(500))
        .with_max_backoff(Duration::from_secs(20))
}

/// A CloudWatch Logs client of `config` (region, endpoint, credentials)
/// with [`retry_config`].
pub fn client(config: &SdkConfig) -> Client {
    let conf = aws_sdk_cloudwatchlogs::config::Builder::from(config)
        .retry_config(retry_config())
        .build();
    Client::from_conf(conf)
}

/// Whether `name` is a valid log group name (1 to 512 of `A-Za-z0-9_-/.#`).
pub fn valid_group_name(name: &str) -> bool {
    (1..=512).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-/.#".contains(&b))
}

/// The stream of a command's copy: `<run id>/<command>`, and for the
/// `attempt`th try (from 2) `<run id>/<command>-<attempt>`.
pub fn stream_name(run_id: &str, command: &str, attempt: usize) -> String {
    if attempt <= 1 {
        format!("{run_id}/{command}")
    } else {
        format!("{run_id}/{command}-{attempt}")
    }
}

/// When a record was written: its `started` plus `duration_ms`, in
/// milliseconds since the epoch.
fn record_time_ms(line: &str) -> Option<i64> {
    let rec: Map<String, Value> = serde_json::from_str(line).ok()?;
    let started = parse_rfc3339(rec.get("started")?.as_str()?)?;
    let ms = i64::try_from(started.duration_since(UNIX_EPOCH).ok()?.as_millis()).ok()?;
    Some(ms + rec.get("duration_ms").and_then(Value::as_i64).unwrap_or(0))
}

/// The events of the log's `lines` in order, timestamps strictly
/// increasing (so that CloudWatch Logs returns them in chain order): each
/// record at the time it was written, no earlier than the oldest time
/// CloudWatch Logs accepts (14 days before `now_ms`, less an hour's
/// margin); a record longer than one event in parts (see [`PART`]).
pub fn events(lines: &[&str], now_ms: i64, limits: &Limits) -> Vec<Event> {
    let floor = now_ms - MAX_AGE_MS + 3_600_000;
    let room = limits.event_bytes - limits.event_overhead;
    let mut out = Vec::with_capacity(lines.len());
    let mut last = i64::MIN;
    let next_time = |last: &mut i64, wanted: i64| {
        *last = wanted.max(floor).max(last.saturating_add(1));
        *last
    };
    for line in lines {
        let wanted = record_time_ms(line).unwrap_or(if last == i64::MIN { now_ms } else { last });
        if line.len() <= room {
            out.push(Event {
                timestamp: next_time(&mut last, wanted),
                message: (*line).to_owned(),
            });
            continue;
        }
        let parts = split_at_char_boundaries(line, room - PART_HEADER_ROOM);
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            out.push(Event {
                timestamp: next_time(&mut last, wanted),
                message: format!("{PART}{}/{n} {part}", i + 1),
            });
        }
    }
    out
}

/// `s` cut into pieces of at most `max` bytes, never inside a character.
fn split_at_char_boundaries(s: &str, max: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let mut end = rest.len().min(max.max(4));
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (part, tail) = rest.split_at(end);
        parts.push(part);
        rest = tail;
    }
    parts
}

/// `events` (each within `limits.event_bytes`, in timestamp order) cut into
/// consecutive `PutLogEvents` batches within `limits`.
pub fn batches(events: &[Event], limits: &Limits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, e) in events.iter().enumerate() {
        let size = e.message.len() + limits.event_overhead;
        let full = i > start
            && (i - start >= limits.batch_events
                || bytes + size > limits.batch_bytes
                || e.timestamp - events[start].timestamp > limits.batch_span_ms);
        if full {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < events.len() {
        out.push(start..events.len());
    }
    out
}

/// The records of a stream's event messages, parts joined: each with the
/// 1-based number of the event it starts at. A part out of its sequence
/// (an event removed, inserted or moved) is an error naming the event.
pub fn records(log: &str, messages: &[String]) -> Result<Vec<(usize, String)>, AuditError> {
    let broken = |index: usize, problem: String| AuditError::Broken {
        log: log.to_owned(),
        unit: "event",
        index,
        problem,
    };
    let mut out = Vec::new();
    // The record being joined: its first event, its parts so far, and n.
    let mut open: Option<(usize, String, usize, usize)> = None;
    for (i, m) in messages.iter().enumerate() {
        let index = i + 1;
        let Some(rest) = m.strip_prefix(PART) else {
            if let Some((first, _, got, n)) = open {
                return Err(broken(
                    first,
                    format!("a record in {n} parts has only {got}: a part was removed"),
                ));
            }
            out.push((index, m.clone()));
            continue;
        };
        let parsed = rest.split_once(' ').and_then(|(head, text)| {
            let (k, n) = head.split_once('/')?;
            Some((k.parse::<usize>().ok()?, n.parse::<usize>().ok()?, text))
        });
        let Some((k, n, text)) = parsed else {
            return Err(broken(index, "a part without `I/N `".into()));
        };
        match open.take() {
            None if k == 1 && n > 1 => open = Some((index, text.to_owned(), 1, n)),
            Some((first, mut joined, got, total)) if n == total && k == got + 1 => {
                joined.push_str(text);
                if k == n {
                    out.push((first, joined));
                } else {
                    open = Some((first, joined, k, n));
                }
            }
            _ => {
                return Err(broken(
                    index,
                    format!("part {k}/{n} out of sequence: a part was removed or inserted"),
                ))
            }
        }
    }
    if let Some((first, _, got, n)) = open {
        return Err(broken(
            first,
            format!("a record in {n} parts has only {got}: a part was removed"),
        ));
    }
    Ok(out)
}

/// Where a command's copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipped {
    /// The log group.
    pub group: String,
    /// The stream created for it.
    pub stream: String,
    /// Records copied.
    pub records: usize,
    /// Events written (more than records when a record was cut in parts).
    pub events: usize,
    /// `PutLogEvents` calls.
    pub batches: usize,
}

/// Copy the log (`text`, its JSON lines) to a new stream of `group` named
/// from the run id and the command (see [`stream_name`]), creating the group
/// when it is missing. Every event must be accepted: a batch CloudWatch
/// Logs refuses in part is an error naming the events.
pub async fn ship(
    client: &Client,
    group: &str,
    run_id: &str,
    command: &str,
    text: &str,
    now: SystemTime,
) -> Result<Shipped, CloudWatchError> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let now_ms = i64::try_from(
        now.duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(i64::MAX);
    let events = events(&lines, now_ms, &Limits::AWS);
    let cuts = batches(&events, &Limits::AWS);
    create_group(client, group).await?;
    let stream = create_stream(client, group, run_id, command).await?;
    let at = target(group, &stream);
    for cut in &cuts {
        let batch = events[cut.clone()]
            .iter()
            .map(|e| {
                InputLogEvent::builder()
                    .timestamp(e.timestamp)
                    .message(e.message.clone())
                    .build()
                    .map_err(|e| fail("logs:PutLogEvents", &at, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let incomplete = |cause: String| {
            fail(
                "logs:PutLogEvents",
                &at,
                format!(
                    "{cause}; the stream holds only the log's first {} of {} events",
                    cut.start,
                    events.len()
                ),
            )
        };
        let out = client
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(&stream)
            .set_log_events(Some(batch))
            .send()
            .await
            .map_err(|e| incomplete(DisplayErrorContext(e).to_string()))?;
        if let Some(r) = out.rejected_log_events_info() {
            let mut why = Vec::new();
            let global = |i: i32| cut.start + usize::try_from(i).unwrap_or(0) + 1;
            if let Some(i) = r.too_old_log_event_end_index() {
                why.push(format!("events up to {} too old", global(i) - 1));
            }
            if let Some(i) = r.expired_log_event_end_index() {
                why.push(format!(
                    "events up to {} older than the group's retention",
                    global(i) - 1
                ));
            }
            if let Some(i) = r.too_new_log_event_start_index() {
                why.push(format!(
                    "events from {} more than 2 h in the future (check the clock)",
                    global(i)
                ));
            }
            if !why.is_empty() {
                return Err(incomplete(format!("refused {}", why.join(", "))));
            }
        }
    }
    Ok(Shipped {
        group: group.to_owned(),
        stream,
        records: lines.len(),
        events: events.len(),
        batches: cuts.len(),
    })
}

/// Create the log group; one that exists already is fine.
async fn create_group(client: &Client, group: &str) -> Result<(), CloudWatchError> {
    match client.create_log_group().log_group_name(group).send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(fail(
            "logs:CreateLogGroup",
            &format!("log group {group}"),
            DisplayErrorContext(e),
        )),
    }
}

/// Create the command's stream: the first name of [`stream_name`] not
/// taken (a stream is never appended to: it holds one chain).
async fn create_stream(
    client: &Client,
    group: &str,
    run_id: &str,
    command: &str,
) -> Result<String, CloudWatchError> {
    for attempt in 1..=STREAM_ATTEMPTS {
        let stream = stream_name(run_id, command, attempt);
        match client
            .create_log_stream()
            .log_group_name(group)
            .log_stream_name(&stream)
            .send()
            .await
        {
            Ok(_) => return Ok(stream),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_already_exists_exception()) => {}
            Err(e) => {
                return Err(fail(
                    "logs:CreateLogStream",
                    &target(group, &stream),
                    DisplayErrorContext(e),
                ))
            }
        }
    }
    Err(fail(
        "logs:CreateLogStream",
        &target(group, &stream_name(run_id, command, STREAM_ATTEMPTS)),
        format!("{STREAM_ATTEMPTS} streams of this command exist already"),
    ))
}

/// Every event message of a stream, oldest first (`GetLogEvents` from the
/// head, every page).
pub async fn read(
    client: &Client,
    group: &str,
    stream: &str,
) -> Result<Vec<String>, CloudWatchError> {
    let mut pages = client
        .get_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .start_from_head(true)
        .into_paginator()
        .send();
    let mut messages = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            fail(
                "logs:GetLogEvents",
                &target(group, stream),
                DisplayErrorContext(e),
            )
        })?;
        messages.extend(
            page.events()
                .iter()
                .map(|e| e.message().unwrap_or_default().to_owned()),
        );
    }
    Ok(messages)
}

/// Why a stream's chain could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] CloudWatchError),
    /// Its chain is broken.
    #[error(transparent)]
    Chain(#[from] AuditError),
}

/// Read a stream back and check its chain as `audit verify` checks a file
/// (errors name the event). Returns the number of records and the last hash.
pub async fn verify(
    client: &Client,
    group: &str,
    stream: &str,
) -> Result<(usize, String), VerifyError> {
    let messages = read(client, group, stream).await?;
    let log = format!("CloudWatch Logs {}", target(group, stream));
    let recs = records(&log, &messages)?;
    Ok(audit::verify_records(
        &log,
        "event",
        recs.into_iter().map(Ok),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000_000;

    fn line(seq: usize, started: &str, ms: u64, pad: usize) -> String {
        serde_json::json!({
            "seq": seq, "started": started, "duration_ms": ms, "pad": "é".repeat(pad)
        })
        .to_string()
    }

    fn ev(timestamp: i64, bytes: usize) -> Event {
        Event {
            timestamp,
            message: "x".repeat(bytes),
        }
    }

    #[test]
    fn more_events_than_one_batch_takes_are_cut_at_ten_thousand() {
        let events: Vec<Event> = (0..25_001).map(|i| ev(NOW + i, 10)).collect();
        let b = batches(&events, &Limits::AWS);
        assert_eq!(b, [0..10_000, 10_000..20_000, 20_000..25_001]);
    }

    #[test]
    fn batches_stay_within_one_mebibyte_counting_26_bytes_per_event() {
        // 4 events of 262,118 bytes + 26 = 256 KiB fill exactly 1 MiB.
        let full = Limits::AWS.event_bytes - Limits::AWS.event_overhead;
        let mut events: Vec<Event> = (0..9).map(|i| ev(NOW + i, full)).collect();
        let b = batches(&events, &Limits::AWS);
        assert_eq!(b, [0..4, 4..8, 8..9]);
        // One byte more and only three fit.
        events[3].message.push('x');
        let b = batches(&events, &Limits::AWS);
        assert_eq!(b[0], 0..3);
        for r in batches(&events, &Limits::AWS) {
            let bytes: usize = events[r].iter().map(|e| e.message.len() + 26).sum();
            assert!(bytes <= Limits::AWS.batch_bytes, "{bytes}");
        }
    }

    #[test]
    fn a_batch_spans_less_than_24_hours() {
        let day = 24 * 3600 * 1000;
        let events = [
            ev(NOW, 1),
            ev(NOW + day - 1, 1),
            ev(NOW + day, 1),
            ev(NOW + day + 5, 1),
        ];
        assert_eq!(batches(&events, &Limits::AWS), [0..2, 2..4]);
        assert!(batches(&[], &Limits::AWS).is_empty());
    }

    #[test]
    fn events_keep_chain_order_in_strictly_increasing_time() {
        let lines = [
            line(0, "2026-09-21T12:00:00Z", 1500, 0),
            // Written in the same second, and one with no time at all.
            line(1, "2026-09-21T12:00:00Z", 1500, 0),
            "{\"seq\":2}".to_owned(),
            line(3, "2026-09-21T12:00:10Z", 0, 0),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let now = 1_790_000_000_000; // 2026-09-21T14:13:20Z
        let e = events(&refs, now, &Limits::AWS);
        let t0 = 1_789_992_000_000 + 1500;
        let times: Vec<i64> = e.iter().map(|e| e.timestamp).collect();
        assert_eq!(times, [t0, t0 + 1, t0 + 2, 1_789_992_010_000]);
        let messages: Vec<&str> = e.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, refs);
        // Records older than CloudWatch Logs takes are stamped at its oldest time.
        let e = events(&refs, now + 30 * 24 * 3600 * 1000, &Limits::AWS);
        let floor = now + 16 * 24 * 3600 * 1000 + 3_600_000;
        assert_eq!(e[0].timestamp, floor);
        assert_eq!(e[3].timestamp, floor + 3);
    }

    #[test]
    fn a_record_longer_than_an_event_goes_in_parts_and_is_joined_back() {
        let small = Limits {
            event_bytes: 26 + 64 + 10,
            ..Limits::AWS
        };
        // 2-byte characters: the cut never splits one.
        let long = line(1, "2026-09-21T12:00:00Z", 0, 20);
        let lines = [
            line(0, "2026-09-21T12:00:00Z", 0, 0),
            long.clone(),
            "{}".into(),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let evs = events(&lines, NOW, &small);
        assert!(evs.len() > 4, "{evs:?}");
        for e in &evs {
            assert!(e.message.len() + 26 <= small.event_bytes, "{e:?}");
        }
        assert!(evs[1].message.starts_with("masker-audit-part 1/"));
        let messages: Vec<String> = evs.iter().map(|e| e.message.clone()).collect();
        let recs = records("log", &messages).unwrap();
        let joined: Vec<&str> = recs.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(joined, lines);
        assert_eq!(recs[1].0, 2);
        assert_eq!(recs[2].0, evs.len());
        // A part removed, or moved, is found.
        let mut cut = messages.clone();
        cut.remove(2);
        let e = records("log", &cut).unwrap_err().to_string();
        assert!(
            e.contains("event 3: part 3/") && e.contains("removed"),
            "{e}"
        );
        let mut last_gone = messages.clone();
        last_gone.truncate(evs.len() - 2);
        let e = records("log", &last_gone).unwrap_err().to_string();
        assert!(e.contains("event 2: a record in"), "{e}");
    }

    #[test]
    fn names_follow_the_api_rules() {
        assert!(valid_group_name("/masker/audit"));
        assert!(valid_group_name("platform.audit#1_x-y"));
        assert!(!valid_group_name(""));
        assert!(!valid_group_name("a:b"));
        assert!(!valid_group_name(&"a".repeat(513)));
        assert_eq!(stream_name("r1", "shard-3", 1), "r1/shard-3");
        assert_eq!(stream_name("r1", "shard-3", 2), "r1/shard-3-2");
    }

    /// A stand-in CloudWatch Logs endpoint on loopback whose first `fails`
    /// `PutLogEvents` calls fail with the error `kind`; records every
    /// call's target.
    fn failing_server(
        fails: usize,
        kind: &'static str,
    ) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        std::thread::spawn(move || {
            let mut puts = 0;
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut out = conn;
                loop {
                    let (mut target, mut len) = (String::new(), 0usize);
                    let mut first = true;
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 {
                            break;
                        }
                        first = false;
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        let (k, v) = h.split_once(':').unwrap_or((h, ""));
                        match k.to_ascii_lowercase().as_str() {
                            "x-amz-target" => target = v.trim().to_owned(),
                            "content-length" => len = v.trim().parse().unwrap_or(0),
                            _ => {}
                        }
                    }
                    if first {
                        break;
                    }
                    let mut body = vec![0u8; len];
                    if reader.read_exact(&mut body).is_err() {
                        break;
                    }
                    seen2.lock().unwrap().push(target.clone());
                    let fail = target.ends_with(".PutLogEvents") && {
                        puts += 1;
                        puts <= fails
                    };
                    let (status, body) = if fail {
                        (
                            "400 Bad Request",
                            format!(r#"{{"__type":"{kind}","message":"no"}}"#),
                        )
                    } else {
                        ("200 OK", "{}".to_owned())
                    };
                    let resp = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\n\
                         x-amzn-requestid: t\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if out.write_all(resp.as_bytes()).is_err() {
                        break;
                    }
                }
            }
        });
        (url, seen)
    }

    fn ship_to(url: String) -> Result<Shipped, CloudWatchError> {
        let http = aws_smithy_http_client::Builder::new().build_http();
        let conf = aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .endpoint_url(url)
            .http_client(http)
            .retry_config(retry_config())
            .build();
        let client = Client::from_conf(conf);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let text = format!("{}\n", line(0, "2026-09-21T12:00:00Z", 0, 0));
        rt.block_on(ship(
            &client,
            "/masker/audit",
            "r1",
            "backup",
            &text,
            UNIX_EPOCH + Duration::from_millis(NOW as u64),
        ))
    }

    fn operations(seen: &std::sync::Mutex<Vec<String>>) -> Vec<String> {
        seen.lock()
            .unwrap()
            .iter()
            .map(|t| t.rsplit('.').next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn throttled_put_log_events_are_retried_with_backoff() {
        let (url, seen) = failing_server(2, "ThrottlingException");
        let shipped = ship_to(url).unwrap();
        assert_eq!(shipped.stream, "r1/backup");
        assert_eq!((shipped.records, shipped.batches), (1, 1));
        assert_eq!(
            operations(&seen),
            [
                "CreateLogGroup",
                "CreateLogStream",
                "PutLogEvents",
                "PutLogEvents",
                "PutLogEvents"
            ]
        );
    }

    #[test]
    fn a_refused_put_log_events_fails_naming_the_stream() {
        let (url, seen) = failing_server(1, "AccessDeniedException");
        let e = ship_to(url).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "CloudWatch Logs logs:PutLogEvents log group /masker/audit stream r1/backup: "
            ) && e.contains("AccessDeniedException")
                && e.contains("holds only the log's first 0 of 1 events"),
            "{e}"
        );
        assert_eq!(
            operations(&seen),
            ["CreateLogGroup", "CreateLogStream", "PutLogEvents"]
        );
    }
}
