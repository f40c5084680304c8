from rwakit.pipeline.batcher import BatcherConfig


def test_a_cycle_claims_a_share_of_the_block_and_never_less_than_the_floor() -> None:
    config = BatcherConfig()
    assert config.claim_limit(0) == 1_500  # no block seen yet
    assert config.claim_limit(30_000_000) == 1_500
    assert config.claim_limit(100_000_000) == 1_538
    assert config.claim_limit(300_000_000) == 4_615
    custom = BatcherConfig(min_claim=10, claim_block_share=0.5, gas_per_op=50_000)
    assert custom.claim_limit(1_000_000) == 10
    assert custom.claim_limit(10_000_000) == 100
