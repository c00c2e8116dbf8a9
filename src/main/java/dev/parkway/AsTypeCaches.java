package dev.parkway;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;

/**
 * Lets go of the JDK's last record class, so an undeployed Parkway's class loader can be collected.
 *
 * <p>A record's {@code equals}, {@code hashCode} and {@code toString} are bootstrapped by {@link
 * ObjectMethods} on their first call, which adapts a few of its own static method handles with {@code
 * asType} to the record's types. On JDK 17, {@code MethodHandle} keeps the last such adaptation in a
 * strong one-entry cache (JDK-8078641, fixed in JDK 18), so the JDK itself then holds the last record class
 * bootstrapped, and through it that class's loader. Parkway met this on undeploy: the second {@code 503
 * shutting_down} of a shutdown is the first time a {@code Rejections.Kind} is compared with {@code
 * equals}, and the path {@code ObjectMethods.OBJECT_EQ.asTypeCache.type.ptypes[0]} ({@code
 * Rejections$Kind}) kept the web application's class loader alive after Tomcat had stopped it.
 *
 * <p>{@link #release()} bootstraps the three methods once more for a class of the JDK's own ({@link
 * String}, with one component of type {@code String}), which replaces every cached adaptation with one
 * that holds only JDK types. It must run after the last record method Parkway could bootstrap, so it is the
 * last step of {@link Bootstrap#contextDestroyed}. On JDKs without that cache it is harmless. Thread-safe:
 * it only replaces a cache entry, as any record class loaded anywhere in the JVM would.
 */
final class AsTypeCaches {
  private static final System.Logger LOG = System.getLogger(AsTypeCaches.class.getName());

  private AsTypeCaches() {}

  static void release() {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle component = MethodHandles.identity(String.class); // a (String)String "accessor"
    try {
      ObjectMethods.bootstrap(
          lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class),
          String.class, "value", component);
      ObjectMethods.bootstrap(
          lookup, "hashCode", MethodType.methodType(int.class, String.class), String.class, "value", component);
      ObjectMethods.bootstrap(
          lookup, "toString", MethodType.methodType(String.class, String.class), String.class, "value", component);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      // Only a leak prevention: a JDK that refuses this has its own caches, and the stop goes on.
      LOG.log(Level.DEBUG, "could not reset the JDK's record method caches", e);
    }
  }
}
