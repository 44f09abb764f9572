package io.sluice.storage.file.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetQueueTest {
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
        assertThat(q.poll()).isEqualTo(model.poll());
      } else if (op == 9) {
        long below = next - random.nextInt(20);
        int dropped = 0;
        while (!model.isEmpty() && model.peek() < below) {
          model.poll();
          dropped++;
        }
        assertThat(q.dropBelow(below)).isEqualTo(dropped);
      }
      assertThat(q.size()).isEqualTo(model.size());
      assertThat(q.isEmpty()).isEqualTo(model.isEmpty());
    }
  }
}
