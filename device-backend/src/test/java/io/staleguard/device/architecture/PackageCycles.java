package io.staleguard.device.architecture;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The package graph of a set of classes, in units: a package and its {@code internal} subpackage are one unit
 * ({@code a.b.internal} belongs to {@code a.b}), because an {@code internal} package is its parent's private half.
 * A cycle is a strongly connected component of that graph.
 *
 * <p>Violations are reported per edge, not per cycle, so that every fix only removes entries from an allow-list:
 * cutting an edge can split a cycle but never adds an edge to one.
 */
public final class PackageCycles {

    /** unit -> unit -> one class dependency that makes the edge, as evidence */
    private final Map<String, Map<String, String>> edges = new TreeMap<>();

    private PackageCycles() {
    }

    /** The graph of the classes under a class-output directory; edges to classes outside it are left out. */
    public static PackageCycles ofClasses(Path classesDir) {
        PackageCycles graph = new PackageCycles();
        Map<String, Set<String>> references = ClassReferences.of(classesDir);
        references.forEach((from, targets) -> targets.stream()
                .filter(references::containsKey)
                .forEach(to -> graph.addClassDependency(from, to)));
        return graph;
    }

    /** A graph from class dependencies given by hand: {@code from} and {@code to} are binary class names. */
    public static PackageCycles ofClassDependencies(Map<String, Set<String>> dependencies) {
        PackageCycles graph = new PackageCycles();
        dependencies.forEach((from, targets) -> targets.forEach(to -> graph.addClassDependency(from, to)));
        return graph;
    }

    /** The unit a class belongs to: its package, with a trailing {@code .internal} cut off. */
    public static String unitOf(String className) {
        String pkg = ClassReferences.packageOf(className);
        return pkg.endsWith(".internal") ? pkg.substring(0, pkg.length() - ".internal".length()) : pkg;
    }

    private void addClassDependency(String from, String to) {
        String a = unitOf(from);
        String b = unitOf(to);
        edges.computeIfAbsent(a, k -> new TreeMap<>());
        edges.computeIfAbsent(b, k -> new TreeMap<>());
        if (!a.equals(b)) {
            edges.get(a).putIfAbsent(b, shortName(from) + " -> " + shortName(to));
        }
    }

    /** The cycles: strongly connected components of more than one unit, each sorted. */
    public Set<Set<String>> cycles() {
        Set<Set<String>> cycles = new TreeSet<>((x, y) -> x.toString().compareTo(y.toString()));
        for (Set<String> component : new Tarjan().components()) {
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
        return cycles;
    }

    /**
     * The edges inside a cycle that contains a guarded unit, as {@code "from -> to"} (unit names with the common
     * {@code io.staleguard.} cut off), each mapped to one class dependency that makes it.
     */
    public Map<String, String> edgesInCyclesThrough(Predicate<String> guarded) {
        Map<String, String> found = new TreeMap<>();
        for (Set<String> cycle : cycles()) {
            if (cycle.stream().noneMatch(guarded)) {
                continue;
            }
            for (String from : cycle) {
                edges.get(from).forEach((to, evidence) -> {
                    if (cycle.contains(to)) {
                        found.put(shortName(from) + " -> " + shortName(to), evidence);
                    }
                });
            }
        }
        return found;
    }

    static String shortName(String name) {
        return name.startsWith("io.staleguard.") ? name.substring("io.staleguard.".length()) : name;
    }

    /** Tarjan's strongly connected components, iterative so that deep graphs cannot overflow the stack. */
    private final class Tarjan {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final Set<Set<String>> result = new LinkedHashSet<>();
        private int next;

        Set<Set<String>> components() {
            for (String unit : edges.keySet()) {
                if (!index.containsKey(unit)) {
                    visit(unit);
                }
            }
            return result;
        }

        private void visit(String root) {
            Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
            enter(root, work);
            while (!work.isEmpty()) {
                Map.Entry<String, Iterator<String>> top = work.peek();
                String unit = top.getKey();
                if (top.getValue().hasNext()) {
                    String to = top.getValue().next();
                    if (!index.containsKey(to)) {
                        enter(to, work);
                    } else if (onStack.contains(to)) {
                        low.put(unit, Math.min(low.get(unit), index.get(to)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(unit)));
                }
                if (low.get(unit).equals(index.get(unit))) {
                    Set<String> component = new TreeSet<>();
                    String member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(unit));
                    result.add(component);
                }
            }
        }

        private void enter(String unit, Deque<Map.Entry<String, Iterator<String>>> work) {
            index.put(unit, next);
            low.put(unit, next);
            next++;
            stack.push(unit);
            onStack.add(unit);
            work.push(Map.entry(unit, edges.get(unit).keySet().iterator()));
        }
    }
}
