import pytest

from rwakit.bench.pipeline import WARMUP_S, PipelineBenchConfig, ops_for_rate


@pytest.mark.parametrize("rate", [1, 1_200, 3_300, 3_333.3])
def test_default_ops_leave_a_steady_window_of_over_a_minute(rate):
    # the issue measures sustained throughput over at least 60 s after the warm-up
    assert ops_for_rate(rate) / rate - WARMUP_S >= 60


def test_default_ops_at_the_default_rate_match_the_config_default():
    assert ops_for_rate(PipelineBenchConfig.rate) == PipelineBenchConfig.ops
