"""Sizes are said one way everywhere: download links, `invoke check`, `invoke publish`."""

from newsdesk.content import numbers


def test_sizes_are_said_one_way_with_a_vietnamese_decimal_comma():
    assert numbers.size(12) == "1 KB"
    assert numbers.size(350_400) == "350 KB"
    assert numbers.size(1_000_000) == "1,0 MB"
    assert numbers.size(10_835_528) == "10,8 MB"
    assert numbers.size(2_345_678_901) == "2,3 GB"
    assert numbers.size(None) == "?"


def test_durations_have_a_decimal_comma():
    assert numbers.seconds(1.25) == "1,2 giây"
