package io.sluice.storage.file.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OffsetRangesTest {
  /** The ranges as a set of offsets. */
  private static TreeSet<Long> offsets(OffsetRanges r) {
    TreeSet<Long> out = new TreeSet<>();
    for (int i = 0; i < r.size(); i++) {
      assertThat(r.start(i)).isLessThan(r.end(i));
      if (i > 0) {
        assertThat(r.start(i)).as("disjoint, not adjacent").isGreaterThan(r.end(i - 1));
      }
      for (long o = r.start(i); o < r.end(i); o++) {
        out.add(o);
      }
    }
    return out;
  }

  @Test
  void behavesLikeASetOfOffsetsThroughAddsAndCuts() {
    OffsetRanges r = new OffsetRanges();
    TreeSet<Long> model = new TreeSet<>();
    Random random = new Random(11);
    for (int step = 0; step < 5_000; step++) {
      int op = random.nextInt(10);
      long a = random.nextInt(400);
      if (op < 6) {
        long b = a + 1 + random.nextInt(op < 3 ? 1 : 6);
        r.add(a, b);
        for (long o = a; o < b; o++) {
          model.add(o);
        }
      } else if (op == 6) {
        r.removeBelow(a);
        model.headSet(a).clear();
      } else if (op == 7) {
        r.removeFrom(a + 200);
        model.tailSet(a + 200).clear();
      } else if (op == 8) {
        Long first = model.isEmpty() ? null : model.first();
        long end = first == null ? -1 : r.pollStartingAt(first);
        for (long o = first == null ? 0 : first; o < end; o++) {
          model.remove(o);
        }
      }
      assertThat(offsets(r)).isEqualTo(model);
      assertThat(r.contains(a)).isEqualTo(model.contains(a));
      Long next = model.ceiling(a);
      assertThat(r.nextAtOrAfter(a)).isEqualTo(next == null ? Long.MAX_VALUE : next);
      assertThat(r.countFrom(a)).isEqualTo(model.tailSet(a).size());
      long end = r.endOf(a);
      if (model.contains(a)) {
        assertThat(end).isGreaterThan(a);
        assertThat(model.contains(end)).isFalse();
        assertThat(model.subSet(a, end)).hasSize((int) (end - a));
      } else {
        assertThat(end).isEqualTo(-1);
      }
    }
  }

  @Test
  void inOrderAcksStayOneRange() {
    OffsetRanges r = new OffsetRanges();
    for (long o = 5; o < 1_000_005; o++) {
      r.add(o);
    }
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.countFrom(0)).isEqualTo(1_000_000);
    assertThat(r.pollStartingAt(5)).isEqualTo(1_000_005);
    assertThat(r.isEmpty()).isTrue();
  }
}
