"""Script mode for the SageMaker framework images: what their `train` command (the SageMaker
training toolkit) does before and after the user's script, for a job run locally without Docker.

Run by the job runner as `<python> train_toolkit.py [--source-archive PATH]` with the job's
environment. It reads /opt/ml/input/config (or $SAGEMAKER_BASE_DIR), unpacks the submitted code
into /opt/ml/code, builds the SM_* environment and the `--key value` arguments as the toolkit
does, runs the entry point, and records the result in /opt/ml/output/success or .../failure.

Written from the behaviour described in the project's research notes (sagemaker-contract.md
section 2.5); no toolkit code is used (the toolkit cannot be installed here: no PyPI).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import traceback

BASE = os.environ.get("SAGEMAKER_BASE_DIR", "/opt/ml")
INPUT_DIR = os.path.join(BASE, "input")
CONFIG_DIR = os.path.join(INPUT_DIR, "config")
DATA_DIR = os.path.join(INPUT_DIR, "data")
MODEL_DIR = os.path.join(BASE, "model")
OUTPUT_DIR = os.path.join(BASE, "output")
OUTPUT_DATA_DIR = os.path.join(OUTPUT_DIR, "data")
OUTPUT_INTERMEDIATE_DIR = os.path.join(OUTPUT_DIR, "intermediate")
CODE_DIR = os.path.join(BASE, "code")

# Hyperparameters the toolkit keeps for itself; any other "sagemaker_" key is an
# additional framework parameter. Neither reaches the script's arguments.
FRAMEWORK_KEYS = {
    "sagemaker_program",
    "sagemaker_submit_directory",
    "sagemaker_enable_cloudwatch_metrics",
    "sagemaker_region",
    "sagemaker_container_log_level",
    "sagemaker_job_name",
    "default_user_module_name",
    "_tuning_objective_metric",
    "sagemaker_s3_output",
}


class FrameworkError(Exception):
    pass


def log(message):
    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)) + ",%03d" % int((now % 1) * 1000)
    sys.stderr.write("%s %-12s %-8s %s\n" % (stamp, "sagemaker-training-toolkit", "INFO", message))
    sys.stderr.flush()


def read_json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def decode(value):
    """A hyperparameter as the toolkit sees it: JSON-decoded when it parses, else the raw string."""
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def env_value(value):
    """SM_* values: strings as they are, anything else as compact JSON with sorted keys."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def arg_value(value):
    if isinstance(value, dict):
        return ",".join("%s=%s" % (k, v) for k, v in sorted(value.items()))
    return str(value)


def to_cmd_args(hyperparameters):
    args = []
    for key in sorted(hyperparameters):
        args.append(("-" if len(key) == 1 else "--") + key)
        args.append(arg_value(hyperparameters[key]))
    return args


def inside(root, path):
    return path == root or path.startswith(root + os.sep)


def safe_extract(archive, dest):
    """Unpacks a tar archive into dest, refusing any member that would land (or point) outside."""
    root = os.path.realpath(dest)
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            name = member.name
            parts = name.split("/")
            if name.startswith("/") or ".." in parts or "\0" in name:
                raise FrameworkError("archive member %r would be extracted outside %s" % (name, dest))
            if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
                raise FrameworkError("archive member %r is not a file, folder or link" % name)
            # `tar -czf x.tar.gz -C dir .` names members "./", "./train.py": "." segments mean nothing,
            # and the root entry itself is the destination folder, already there.
            rel = "/".join(p for p in parts if p not in ("", "."))
            if rel == "":
                if member.isdir():
                    continue
                raise FrameworkError("archive member %r has an empty name" % name)
            member.name = rel
            target = os.path.normpath(os.path.join(root, rel))
            if not inside(root, target):
                raise FrameworkError("archive member %r would be extracted outside %s" % (name, dest))
            parent = os.path.realpath(os.path.dirname(target))
            if not inside(root, parent):
                raise FrameworkError("archive member %r would be written through a link outside %s" % (name, dest))
            if member.issym():
                if os.path.isabs(member.linkname) or not inside(
                    root, os.path.normpath(os.path.join(os.path.dirname(target), member.linkname))
                ):
                    raise FrameworkError("archive link %r -> %r points outside %s" % (name, member.linkname, dest))
            if member.islnk():
                source = os.path.realpath(os.path.join(root, member.linkname))
                if not inside(root, source) or not os.path.isfile(source):
                    raise FrameworkError("archive hard link %r -> %r points outside %s" % (name, member.linkname, dest))
            if os.path.islink(target):
                os.unlink(target)
            member.uid, member.gid = os.getuid(), os.getgid()
            member.uname = member.gname = ""
            member.mode &= 0o755
            tar.extract(member, root)
            if member.issym() and not inside(root, os.path.realpath(target)):
                os.unlink(target)
                raise FrameworkError("archive link %r -> %r resolves outside %s" % (name, member.linkname, dest))
    # Links checked one by one can still combine into a path out; none may remain that does.
    for folder, dirs, files in os.walk(root):
        for entry in dirs + files:
            path = os.path.join(folder, entry)
            if os.path.islink(path) and not inside(root, os.path.realpath(path)):
                os.unlink(path)
                raise FrameworkError("archive link %r resolves outside %s" % (os.path.relpath(path, root), dest))


def fetch_code(module_dir, archive):
    if os.path.isdir(CODE_DIR) and os.listdir(CODE_DIR):
        return  # code already in place (staged from an S3 prefix, or baked into the image)
    os.makedirs(CODE_DIR, exist_ok=True)
    if archive:
        safe_extract(archive, CODE_DIR)
    elif module_dir and os.path.isdir(module_dir) and os.path.realpath(module_dir) != os.path.realpath(CODE_DIR):
        shutil.copytree(module_dir, CODE_DIR, dirs_exist_ok=True)
    elif module_dir and os.path.isfile(module_dir):
        if tarfile.is_tarfile(module_dir):
            safe_extract(module_dir, CODE_DIR)
        else:
            shutil.copy2(module_dir, CODE_DIR)


def training_env(hps, entry_point, module_dir):
    resource = read_json(os.path.join(CONFIG_DIR, "resourceconfig.json"), {"current_host": "algo-1", "hosts": ["algo-1"]})
    input_data_config = read_json(os.path.join(CONFIG_DIR, "inputdataconfig.json"), {})
    framework = {k: v for k, v in hps.items() if k in FRAMEWORK_KEYS or k.startswith("sagemaker_")}
    user_hps = {k: v for k, v in hps.items() if k not in framework}
    additional = {k: v for k, v in framework.items() if k not in FRAMEWORK_KEYS}
    hosts = sorted(resource.get("hosts", ["algo-1"]))
    current_host = resource.get("current_host", "algo-1")
    instance_type = resource.get("current_instance_type", "local")
    group = resource.get("current_group_name", "homogeneousCluster")
    groups = resource.get("instance_groups", [{"instance_group_name": group, "instance_type": instance_type, "hosts": hosts}])
    channels = sorted(input_data_config)
    module_name = entry_point[:-3] if entry_point.endswith(".py") else entry_point
    log_level = framework.get("sagemaker_container_log_level", 20)
    env = {
        "additional_framework_parameters": additional,
        "channel_input_dirs": {c: os.path.join(DATA_DIR, c) for c in channels},
        "current_host": current_host,
        "current_instance_group": group,
        "current_instance_group_hosts": hosts,
        "current_instance_type": instance_type,
        "distribution_hosts": [],
        "distribution_instance_groups": [],
        "framework_module": os.environ.get("SAGEMAKER_TRAINING_MODULE", ""),
        "hosts": hosts,
        "hyperparameters": user_hps,
        "input_config_dir": CONFIG_DIR,
        "input_data_config": input_data_config,
        "input_dir": INPUT_DIR,
        "instance_groups": [g.get("instance_group_name") for g in groups],
        "instance_groups_dict": {g.get("instance_group_name"): g for g in groups},
        "is_hetero": False,
        "is_master": current_host == hosts[0],
        "is_modelparallel_enabled": None,
        "is_smddpmprun_installed": False,
        "is_smddprun_installed": False,
        "job_name": os.environ.get("TRAINING_JOB_NAME", framework.get("sagemaker_job_name", "")),
        "log_level": log_level,
        "master_hostname": hosts[0],
        "model_dir": MODEL_DIR,
        "module_dir": module_dir,
        "module_name": module_name,
        "network_interface_name": resource.get("network_interface_name", "eth0"),
        "num_cpus": os.cpu_count() or 1,
        "num_gpus": 0,
        "num_neurons": 0,
        "output_data_dir": OUTPUT_DATA_DIR,
        "output_dir": OUTPUT_DIR,
        "output_intermediate_dir": OUTPUT_INTERMEDIATE_DIR,
        "resource_config": resource,
        "user_entry_point": entry_point,
    }
    args = to_cmd_args(user_hps)
    variables = {
        "SM_HOSTS": hosts,
        "SM_NETWORK_INTERFACE_NAME": env["network_interface_name"],
        "SM_HPS": user_hps,
        "SM_USER_ENTRY_POINT": entry_point,
        "SM_FRAMEWORK_PARAMS": additional,
        "SM_RESOURCE_CONFIG": resource,
        "SM_INPUT_DATA_CONFIG": input_data_config,
        "SM_OUTPUT_DATA_DIR": OUTPUT_DATA_DIR,
        "SM_CHANNELS": channels,
        "SM_CURRENT_HOST": current_host,
        "SM_CURRENT_INSTANCE_TYPE": instance_type,
        "SM_CURRENT_INSTANCE_GROUP": group,
        "SM_CURRENT_INSTANCE_GROUP_HOSTS": hosts,
        "SM_INSTANCE_GROUPS": env["instance_groups"],
        "SM_INSTANCE_GROUPS_DICT": env["instance_groups_dict"],
        "SM_DISTRIBUTION_INSTANCE_GROUPS": [],
        "SM_IS_HETERO": False,
        "SM_MODULE_NAME": module_name,
        "SM_LOG_LEVEL": log_level,
        "SM_FRAMEWORK_MODULE": env["framework_module"],
        "SM_INPUT_DIR": INPUT_DIR,
        "SM_INPUT_CONFIG_DIR": CONFIG_DIR,
        "SM_OUTPUT_DIR": OUTPUT_DIR,
        "SM_NUM_CPUS": env["num_cpus"],
        "SM_NUM_GPUS": 0,
        "SM_NUM_NEURONS": 0,
        "SM_MODEL_DIR": MODEL_DIR,
        "SM_MODULE_DIR": module_dir,
        "SM_TRAINING_ENV": env,
        "SM_USER_ARGS": args,
        "SM_OUTPUT_INTERMEDIATE_DIR": OUTPUT_INTERMEDIATE_DIR,
    }
    for c in channels:
        variables["SM_CHANNEL_" + c.upper()] = os.path.join(DATA_DIR, c)
    for k, v in user_hps.items():
        variables["SM_HP_" + k.upper()] = v
    out = {k: env_value(v) for k, v in variables.items()}
    out["CURRENT_HOST"] = current_host
    if "sagemaker_job_name" in framework:
        out["SAGEMAKER_JOB_NAME"] = env_value(framework["sagemaker_job_name"])
    if "sagemaker_region" in framework:
        out["SAGEMAKER_REGION"] = env_value(framework["sagemaker_region"])
    return env, out, args


def command_for(entry_point, args):
    if entry_point.endswith(".sh"):
        return ["/bin/sh", entry_point] + args
    if os.path.exists(os.path.join(CODE_DIR, "setup.py")):
        log("setup.py found: running %s as a module (packages are not pip-installed locally)" % entry_point)
        module = entry_point[:-3] if entry_point.endswith(".py") else entry_point
        return [sys.executable, "-m", module] + args
    if entry_point.endswith(".py"):
        return [sys.executable, entry_point] + args
    path = os.path.join(CODE_DIR, entry_point)
    if os.path.exists(path):
        os.chmod(path, 0o755)
    return ["./" + entry_point] + args


def write_once(path, text):
    if os.path.exists(path):
        return  # a failure file the script wrote itself wins
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def parse_args(argv):
    """`[--source-archive PATH] [--algorithm NAME]` from the job runner."""
    out = {}
    it = iter(argv)
    for key in it:
        if key in ("--source-archive", "--algorithm"):
            out[key[2:]] = next(it, None)
    return out


def run_algorithm(name, hps):
    """The image's built-in algorithm (no entry point): XGBoost's algorithm mode."""
    if name != "xgboost":
        raise FrameworkError("unknown built-in algorithm %r" % name)
    log("Imported framework sagemaker_xgboost_container.training")
    import xgboost_algorithm

    xgboost_algorithm.setup_logging()
    import logging

    logging.info("Running XGBoost Sagemaker in algorithm mode")
    env_dict, sm_vars, _ = training_env(hps, "", CODE_DIR)
    os.environ.update(sm_vars)
    xgboost_algorithm.train(CONFIG_DIR, env_dict["channel_input_dirs"], MODEL_DIR)
    write_once(os.path.join(OUTPUT_DIR, "success"), "")
    return 0


def main(argv):
    args = parse_args(argv)
    archive = args.get("source-archive")
    raw = read_json(os.path.join(CONFIG_DIR, "hyperparameters.json"), {})
    hps = {k: decode(v) for k, v in raw.items()}
    entry_point = os.environ.get("SAGEMAKER_PROGRAM") or hps.get("sagemaker_program")
    if not entry_point and args.get("algorithm"):
        return run_algorithm(args["algorithm"], hps)
    if not entry_point or not isinstance(entry_point, str):
        raise FrameworkError(
            "No entry point: set the sagemaker_program hyperparameter (or SAGEMAKER_PROGRAM) to the script to run"
        )
    module_dir = os.environ.get("SAGEMAKER_SUBMIT_DIRECTORY") or hps.get("sagemaker_submit_directory") or CODE_DIR
    fetch_code(module_dir if isinstance(module_dir, str) else None, archive)
    # requirements.txt was installed by the runner before this started, into a layer on PYTHONPATH.
    env_dict, sm_vars, args = training_env(hps, entry_point, module_dir if isinstance(module_dir, str) else CODE_DIR)
    child_env = dict(os.environ)
    child_env.update(sm_vars)
    child_env["PYTHONPATH"] = ":".join([CODE_DIR] + [p for p in sys.path[1:] if p])
    cmd = command_for(entry_point, args)
    log("Invoking user script")
    sys.stderr.write("\nTraining Env:\n\n%s\n\n" % json.dumps(env_dict, indent=4, sort_keys=True))
    sys.stderr.write("Invoking script with the following command:\n\n%s\n\n" % " ".join(cmd))
    sys.stderr.flush()
    # A stop signal reaches the script through the process group; the shim only waits for it.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        code = subprocess.call(cmd, cwd=CODE_DIR, env=child_env)
    except OSError as err:
        code = 127
        sys.stderr.write("%s\n" % err)
    if code == 0:
        write_once(os.path.join(OUTPUT_DIR, "success"), "")
        log("Reporting training SUCCESS")
        return 0
    write_once(
        os.path.join(OUTPUT_DIR, "failure"),
        'ExecuteUserScriptError:\nExitCode %d\nErrorMessage ""\nCommand "%s"' % (code, " ".join(cmd)),
    )
    log("Reporting training FAILURE")
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except FrameworkError as err:
        write_once(os.path.join(OUTPUT_DIR, "failure"), "Framework Error: \n%s" % err)
        sys.stderr.write("Framework Error: %s\n" % err)
        sys.exit(1)
    except Exception as err:
        # What the legacy toolkit under the XGBoost image writes for any other error: the traceback,
        # then the message. SageMaker's FailureReason keeps the first 1,024 characters, so only the
        # innermost frames are kept here, for the message to fit (the image prints them all).
        message = "framework error: \n%s\n%s" % (traceback.format_exc(limit=-2, chain=False), err)
        write_once(os.path.join(OUTPUT_DIR, "failure"), message)
        sys.stderr.write("Reporting training FAILURE\n%s\n" % message)
        sys.exit(1)
