"""deploy/k8s/ loads against Dagster's and dagster-k8s's own config schemas.

The run launcher and executor configs of a Kubernetes deployment are only read when a
cluster starts a run; validating them here turns a typo into a failed test instead of a
run that never starts. The Kubernetes parts dagster-k8s passes through (container
config, volumes) are checked against the Kubernetes client's models, as dagster-k8s
does when it builds a pod.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config_schema
from dagster_k8s import K8sRunLauncher, k8s_job_executor
from dagster_k8s.models import k8s_model_from_dict, k8s_snake_case_dict
from kubernetes.client import V1Container, V1Volume, V1VolumeMount

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "k8s"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / name).read_text())


def errors(config_type: object, config: dict[str, Any]) -> list[str]:
    result = process_config(config_type, config)
    return [] if result.success else [error.message for error in result.errors or []]


def kubernetes_parts(config: dict[str, Any], container_key: str) -> None:
    """The pass-through Kubernetes config, built into the client's models (raises on an
    unknown key, as dagster-k8s would when it launches the pod)."""
    for volume in config.get("volumes", []):
        k8s_model_from_dict(V1Volume, k8s_snake_case_dict(V1Volume, volume))
    for mount in config.get("volume_mounts", []):
        k8s_model_from_dict(V1VolumeMount, k8s_snake_case_dict(V1VolumeMount, mount))
    container = {"name": "closedloop", **config[container_key]["container_config"]}
    k8s_model_from_dict(V1Container, k8s_snake_case_dict(V1Container, container))


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # the instance schema resolves {env: ...} values: the Postgres password's variable
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "unused")
    return load("dagster.yaml")


def test_the_instance_and_its_k8s_run_launcher_validate(instance: dict[str, Any]) -> None:
    assert errors(dagster_instance_config_schema(), instance) == []
    launcher = instance["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", K8sRunLauncher.__name__)
    assert errors(K8sRunLauncher.config_type(), launcher["config"]) == []
    kubernetes_parts(launcher["config"], "run_k8s_config")


def test_the_k8s_executor_config_validates() -> None:
    executor = load("executor.yaml")
    assert errors(k8s_job_executor.config_schema.config_type, executor) == []
    kubernetes_parts(executor, "step_k8s_config")


def test_a_typo_fails_each_check(instance: dict[str, Any]) -> None:
    launcher = copy.deepcopy(instance["run_launcher"]["config"])
    launcher["job_namepsace"] = launcher.pop("job_namespace")
    assert any(
        "job_namepsace" in message for message in errors(K8sRunLauncher.config_type(), launcher)
    )

    executor = load("executor.yaml")
    executor["max_concurent"] = executor.pop("max_concurrent")
    assert errors(k8s_job_executor.config_schema.config_type, executor)

    wrong_instance = copy.deepcopy(instance)
    wrong_instance["concurrency"]["pools"]["default_limt"] = 1
    assert errors(dagster_instance_config_schema(), wrong_instance)

    executor = load("executor.yaml")
    executor["step_k8s_config"]["container_config"]["resorces"] = {}
    with pytest.raises(Exception, match="resorces"):
        kubernetes_parts(executor, "step_k8s_config")
