package io.sluice.storage.file.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetQueueTest {
  /** Maximal runs of consecutive offsets in the model. */
  private static int runs(ArrayDeque<Long> model) {
    int runs = 0;
    long previous = Long.MIN_VALUE;
    for (long o : model) {
      runs += o == previous + 1 ? 0 : 1;
      previous = o;
    }
    return runs;
  }

  @Test
  void behavesLikeADequeOfIncreasingOffsetsThroughGrowthReuseAndDrops() {
    OffsetQueue q = new OffsetQueue();
    ArrayDeque<Long> model = new ArrayDeque<>();
    Random random = new Random(7);
    long next = 0;
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(10);
      if (op < 6) {
        next += 1 + random.nextInt(3);
        q.add(next);
        model.add(next);
      } else if (op < 9 && !model.isEmpty()) {
        assertThat(q.peek()).isEqualTo(model.peek());
        assertThat(q.poll()).isEqualTo(model.poll());
      } else if (op == 9) {
        long below = next - random.nextInt(20);
        int runsBefore = q.runs();
        while (!model.isEmpty() && model.peek() < below) {
          model.poll();
        }
        assertThat(q.dropBelow(below)).isEqualTo(runsBefore - runs(model));
      }
      assertThat(q.size()).isEqualTo(model.size());
      assertThat(q.isEmpty()).isEqualTo(model.isEmpty());
      assertThat(q.runs()).isEqualTo(runs(model));
    }
  }

  @Test
  void consecutiveOffsetsCostOneRun() {
    OffsetQueue q = new OffsetQueue();
    for (long o = 100; o < 300_100; o++) {
      q.add(o);
    }
    assertThat(q.runs()).isEqualTo(1);
    assertThat(q.size()).isEqualTo(300_000);
    assertThat(q.poll()).isEqualTo(100);
    assertThat(q.dropBelow(200_000)).isZero();
    assertThat(q.peek()).isEqualTo(200_000);
  }
}
