package io.sluice.storage.file.internal.dedupe;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The heap an object of this package retains, measured by walking its fields: this package's
 * objects and arrays exactly (12-byte headers, 4-byte references, 8-byte alignment), objects of
 * other classes (paths, buffers, locks) as a generous 256 bytes each without looking inside, and
 * the shared {@link DedupeSpace} not at all. An over-estimate by design, independent of GC timing.
 */
final class RetainedHeap {
  private static final long FOREIGN = 256;
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  static long of(Object root) {
    return new RetainedHeap().size(root);
  }

  private long size(Object o) {
    if (o == null || o instanceof DedupeSpace || !seen.add(o)) {
      return 0;
    }
    Class<?> c = o.getClass();
    if (c.isArray()) {
      int n = Array.getLength(o);
      Class<?> e = c.getComponentType();
      long bytes = align(16 + (long) n * width(e));
      if (!e.isPrimitive()) {
        for (int i = 0; i < n; i++) {
          bytes += size(Array.get(o, i));
        }
      }
      return bytes;
    }
    if (!c.getPackageName().equals(RetainedHeap.class.getPackageName()) || c.isHidden()) {
      return FOREIGN;
    }
    long shallow = 12;
    long deep = 0;
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        shallow += width(f.getType());
        if (!f.getType().isPrimitive()) {
          f.setAccessible(true);
          try {
            deep += size(f.get(o));
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return align(shallow) + deep;
  }

  private static long width(Class<?> t) {
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class || !t.isPrimitive()) {
      return 4;
    }
    return t == boolean.class || t == byte.class ? 1 : 2;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
