package io.staleguard.maven.internal.fork;

import io.staleguard.maven.internal.soak.ForkedSoak;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for the Maven JVM in {@link OrphanedForkTest}: starts the soak fork exactly as the {@code soak} goal
 * does ({@link ForkedSoak#run}) and relays its lines, so that a test can kill this JVM with SIGKILL and watch the
 * fork. Arguments: the soak configuration file, the working directory, then the fork's JVM arguments.
 */
final class MavenStandIn {

    private MavenStandIn() {
    }

    public static void main(String[] args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cp = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> jvmArgs = List.of(args).subList(2, args.length);
        ForkedSoak.Result r = ForkedSoak.run(java, jvmArgs, cp, Path.of(args[0]), Path.of(args[1]),
                ForkedSoak.collecting(line -> {
                    System.out.println(line);
                    System.out.flush();
                }), p -> {
                    System.out.println("FORK-PID " + p.pid());
                    System.out.flush();
                });
        System.out.println("FORK-EXIT " + r.exitCode());
    }
}
