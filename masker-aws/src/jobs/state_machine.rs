//! The Step Functions definition (Amazon States Language) of a sharded
//! job, as `masker-aws state-machine` prints it: `plan` as an AWS Batch job,
//! a Distributed Map over the plan's shard list (`shards.json` in S3) that
//! runs `run-shard` per item as a Batch job, then `finish`; any failure is
//! caught and runs `cleanup` before the execution fails. Every task is the
//! same container image (see the Dockerfile) with a different command. The
//! plan's location is derived from the execution's name, so one execution
//! is one run. This module only builds JSON; it calls nothing.

use serde_json::{json, Value};

/// What the definition needs besides the job file.
#[derive(Debug, Clone)]
pub struct StateMachineOptions {
    /// Shards asked of `plan`.
    pub shards: usize,
    /// `backup` or `mask` (`plan --job`).
    pub job: String,
    /// The job file's path inside the container image.
    pub config_in_image: String,
    /// The job's `output.s3` (`s3://bucket/prefix`): plans go under `_plans/`.
    pub output_s3: String,
    /// AWS Batch job queue (name or ARN).
    pub job_queue: String,
    /// AWS Batch job definition (name or ARN) of the masker image.
    pub job_definition: String,
    /// Shards running at once.
    pub max_concurrency: usize,
}

/// A format string for `States.Format`: like [`lit`], but each `{}` stays
/// a placeholder.
fn template(s: &str) -> String {
    let parts: Vec<String> = s
        .split("{}")
        .map(|p| {
            let l = lit(p);
            l[1..l.len() - 1].to_owned()
        })
        .collect();
    format!("'{}'", parts.join("{}"))
}

/// A string literal for an intrinsic function (`'`, `{`, `}` and `\`
/// escaped).
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A Batch task running `masker-aws ARGS...`: `args` are intrinsic-function
/// arguments (literals made with [`lit`] or paths like `$.plan`).
fn batch_task(o: &StateMachineOptions, name: &str, args: &[String], next: Option<&str>) -> Value {
    let mut command = vec![lit("masker-aws")];
    command.extend(args.iter().cloned());
    let mut task = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::batch:submitJob.sync",
        "Parameters": {
            "JobName": name,
            "JobQueue": o.job_queue,
            "JobDefinition": o.job_definition,
            "ContainerOverrides": {
                "Command.$": format!("States.Array({})", command.join(", "))
            }
        },
        "ResultPath": null,
    });
    match next {
        Some(n) => task["Next"] = json!(n),
        None => task["End"] = json!(true),
    }
    task
}

fn catch_to_cleanup() -> Value {
    json!([{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Cleanup" }])
}

/// The state machine's definition.
pub fn definition(o: &StateMachineOptions) -> Value {
    let plans = format!("{}/_plans", o.output_s3.trim_end_matches('/'));
    let (bucket, prefix) = plans
        .strip_prefix("s3://")
        .unwrap_or(&plans)
        .split_once('/')
        .unwrap_or((plans.as_str(), ""));
    let config = lit(&o.config_in_image);
    let plan_args = |cmd: &str| {
        vec![
            lit(cmd),
            lit("--config"),
            config.clone(),
            lit("--plan"),
            "$.plan".to_owned(),
        ]
    };
    let mut plan = batch_task(
        o,
        "masker-plan",
        &[
            lit("plan"),
            lit("--config"),
            config.clone(),
            lit("--job"),
            lit(&o.job),
            lit("--shards"),
            lit(&o.shards.to_string()),
            lit("--plan"),
            "$.plan".to_owned(),
        ],
        Some("Shards"),
    );
    plan["Catch"] = catch_to_cleanup();
    let mut run_shard = plan_args("run-shard");
    run_shard.extend([lit("--shard"), "$.shard".to_owned()]);
    let mut shard_task = batch_task(o, "masker-run-shard", &run_shard, None);
    // A shard is idempotent (it rewrites its own files and manifest).
    shard_task["Retry"] = json!([{
        "ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 60, "MaxAttempts": 2, "BackoffRate": 2.0
    }]);
    let items_key = format!(
        "{}{{}}/shards.json",
        if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        }
    );
    let mut finish = batch_task(o, "masker-finish", &plan_args("finish"), Some("Done"));
    finish["Catch"] = catch_to_cleanup();
    let mut cleanup = batch_task(o, "masker-cleanup", &plan_args("cleanup"), Some("Failed"));
    // Cleanup is retried: it is idempotent and the last line of defence
    // before `sweep`.
    cleanup["Retry"] = json!([{
        "ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 3, "BackoffRate": 2.0
    }]);
    cleanup["Catch"] = json!([{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }]);
    json!({
        "Comment": format!(
            "masker-aws {} job in {} shards: plan, run-shard per shard (Distributed Map), finish; cleanup on any failure",
            o.job, o.shards
        ),
        "StartAt": "Init",
        "States": {
            "Init": {
                "Type": "Pass",
                "Comment": "One execution is one run: the plan's location comes from the execution's name.",
                "Parameters": {
                    "plan.$": format!("States.Format({}, $$.Execution.Name)", template(&format!("{plans}/{{}}"))),
                    "items_key.$": format!("States.Format({}, $$.Execution.Name)", template(&items_key))
                },
                "Next": "Plan"
            },
            "Plan": plan,
            "Shards": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": { "InputType": "JSON" },
                    "Parameters": { "Bucket": bucket, "Key.$": "$.items_key" }
                },
                "ItemSelector": {
                    "plan.$": "$.plan",
                    "shard.$": "$$.Map.Item.Value.shard"
                },
                "MaxConcurrency": o.max_concurrency,
                "ToleratedFailurePercentage": 0,
                "ItemProcessor": {
                    "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
                    "StartAt": "RunShard",
                    "States": { "RunShard": shard_task }
                },
                "ResultPath": null,
                "Catch": catch_to_cleanup(),
                "Next": "Finish"
            },
            "Finish": finish,
            "Cleanup": cleanup,
            "Failed": { "Type": "Fail", "Error": "MaskerJobFailed", "Cause": "a step failed; the run was cleaned up" },
            "Done": { "Type": "Succeed" }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_and_templates_keep_their_placeholder() {
        assert_eq!(lit("it's {x}"), r"'it\'s \{x\}'");
        assert_eq!(template("s3://b/p/{}"), "'s3://b/p/{}'");
        assert_eq!(template("a'{}'b"), r"'a\'{}\'b'");
    }

    #[test]
    fn a_bucket_without_prefix_keeps_plans_at_the_top() {
        let d = definition(&StateMachineOptions {
            shards: 2,
            job: "backup".into(),
            config_in_image: "/j.toml".into(),
            output_s3: "s3://bucket".into(),
            job_queue: "q".into(),
            job_definition: "d".into(),
            max_concurrency: 4,
        });
        assert_eq!(
            d["States"]["Shards"]["ItemReader"]["Parameters"]["Bucket"],
            "bucket"
        );
        assert_eq!(
            d["States"]["Init"]["Parameters"]["items_key.$"],
            "States.Format('_plans/{}/shards.json', $$.Execution.Name)"
        );
        assert_eq!(d["States"]["Shards"]["MaxConcurrency"], 4);
    }
}
