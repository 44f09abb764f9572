package io.sluice.benchmarks.soak;

import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StartRequest;
import io.sluice.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Wraps a member's {@link Storage} so that every {@link Storage#markStarted} (the runtime counting
 * an attempt, just before the handler runs) first writes {@code M <round> <partition> <offset>} per
 * delivery to the consumer log. Every attempt the store counts then has a line, so the checker can
 * tell an {@code abandoned} message whose attempts were all handler starts from one whose attempts
 * were counted some other way (a claim of a prefetched message, say). A claim that counts starts
 * itself ({@link ClaimRequest#start()}) is logged as {@code S <round>}, then one {@code M} line per
 * lease it returned, then {@code E <round>}: a round killed between S and E may have had attempts
 * counted that no line shows.
 */
final class StartLog {
  private StartLog() {}

  static Storage wrap(Storage storage, String round, LineLog log) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("markStarted") && args[0] instanceof StartRequest r) {
                r.deliveries().forEach(id -> mark(log, round, id));
              }
              boolean starting =
                  method.getName().equals("claim")
                      && args[0] instanceof ClaimRequest c
                      && c.start();
              if (starting) {
                log.append("S " + round + " 0 0");
              }
              Object result;
              try {
                result = method.invoke(storage, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (starting) {
                @SuppressWarnings("unchecked")
                List<Lease> leases = (List<Lease>) result;
                leases.forEach(l -> mark(log, round, l.id()));
                log.append("E " + round + " 0 0");
              }
              return result;
            });
  }

  /** The line of one counted attempt. */
  private static void mark(LineLog log, String round, DeliveryId id) {
    log.append("M " + round + " " + id.partition() + " " + id.offset());
  }
}
