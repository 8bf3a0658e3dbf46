from hookscope.core.rate import RateMeter


def test_rate_over_sliding_window() -> None:
    now = [100.0]
    meter = RateMeter(window_s=5.0, clock=lambda: now[0])
    meter.add(10)
    now[0] = 102.0
    meter.add(5)
    assert meter.per_second() == 3.0
    now[0] = 105.5  # the first 10 have left the window
    assert meter.per_second() == 1.0
    now[0] = 200.0
    assert meter.per_second() == 0.0
