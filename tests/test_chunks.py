"""Many ids a few thousand at a time (records/chunks.py)."""

from records.chunks import chunks


def test_chunks_keep_order_and_size_and_read_lazily():
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []
    endless = iter(int, 1)  # never ends: only what is asked for is read
    assert next(chunks(endless, 2)) == [0, 0]
