#!/usr/bin/env python3
"""Independent MS Project (MSPDI XML) reader/writer built on MPXJ.

Used by the Rust integration tests in ``crates/cli/tests/exchange.rs`` to check
milepost's MS Project export and import against a third-party implementation
(MPXJ, driven through JPype) rather than against milepost's own code.

Usage:
    python3 mpxj_tool.py read FILE.xml
        Read FILE with MPXJ's UniversalProjectReader and print one JSON object:
        {"tasks": [{"uid", "id", "name", "start", "finish", "duration_days",
                    "milestone", "summary", "deadline",
                    "predecessors": [{"uid", "type", "lag_days"}],
                    "resources", "outline_level", "notes", "wbs"}],
         "calendar": {"name", "working_days", "exceptions"},
         "resources": [names]}
        Dates are YYYY-MM-DD; durations and lags are converted to days at
        8 h/day, 40 h/week, 20 days/month. The project summary task (unique ID
        0, or no name) is skipped. "calendar" is the project's default calendar,
        with every non-working exception expanded to the dates it covers.

    python3 mpxj_tool.py write OUT.xml
        Build a small fixed project with MPXJ's API (Mon-Fri calendar with a
        holiday on 2027-01-18, resource "Dana Scully", tasks Design, Build,
        Review (milestone with a deadline) and Docs), write it to OUT.xml with
        MSPDIWriter and print {"tasks": [{"name", "start", "finish",
        "duration_days", "milestone", "deadline"}]} with the dates set.

Requirements: ``python3 -m pip install mpxj JPype1`` and a Java runtime (11+).
Only the JSON goes to stdout; diagnostics go to stderr; errors exit non-zero.
Works with MPXJ >= 14 (package ``org.mpxj``) and falls back to the older
``net.sf.mpxj`` package name (MPXJ 12/13, java.time based API).
"""

import datetime
import json
import os
import sys

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HOURS_PER_DAY = 8.0


def fail(message):
    print(f"mpxj_tool: error: {message}", file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------- JVM


def start_jvm():
    """Start the JVM with the MPXJ jars on the class path; return the package prefix."""
    try:
        import jpype
        import mpxj  # noqa: F401  (importing it adds the bundled jars to the class path)
    except ImportError as err:
        fail(f"{err}; install with: python3 -m pip install mpxj JPype1")
    try:
        jpype.startJVM(
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
            "-Dorg.apache.logging.log4j.simplelog.StatusLogger.level=OFF",
            convertStrings=False,
        )
    except Exception as err:  # no JVM found, bad JAVA_HOME, ...
        fail(f"cannot start the JVM (is Java installed / JAVA_HOME set?): {err}")
    # Anything Java prints to System.out must not corrupt our JSON.
    System = jpype.JClass("java.lang.System")
    System.setOut(System.err)
    for prefix in ("org.mpxj", "net.sf.mpxj"):
        try:
            jpype.JClass(prefix + ".ProjectFile")
            return prefix
        except Exception:
            continue
    fail("MPXJ classes not found on the class path (neither org.mpxj nor net.sf.mpxj)")


def jclass(prefix, name):
    import jpype

    return jpype.JClass(f"{prefix}.{name}")


# --------------------------------------------------------------------------- helpers


def to_date(value):
    """java.time.LocalDateTime / LocalDate (or legacy java.util.Date) -> 'YYYY-MM-DD'."""
    if value is None:
        return None
    if hasattr(value, "toLocalDate"):  # LocalDateTime
        value = value.toLocalDate()
    if hasattr(value, "getDayOfMonth"):  # LocalDate: toString() is ISO-8601
        return str(value.toString())
    # java.util.Date (MPXJ < 12)
    import jpype

    fmt = jpype.JClass("java.text.SimpleDateFormat")("yyyy-MM-dd")
    return str(fmt.format(value))


def to_py_date(value):
    text = to_date(value)
    return None if text is None else datetime.date.fromisoformat(text)


def jstr(value):
    return None if value is None else str(value)


def duration_days(duration):
    """MPXJ Duration -> days (8 h/day, 40 h/week, 20 d/month, 240 d/year)."""
    if duration is None:
        return None
    amount = float(duration.getDuration())
    unit = str(duration.getUnits().name())
    elapsed = unit.startswith("ELAPSED_")
    unit = unit.replace("ELAPSED_", "")
    if elapsed:  # elapsed time runs round the clock, 7 days a week
        factors = {"MINUTES": 1 / 1440, "HOURS": 1 / 24, "DAYS": 1, "WEEKS": 7,
                   "MONTHS": 30, "YEARS": 365}
    else:
        factors = {"MINUTES": 1 / (60 * HOURS_PER_DAY), "HOURS": 1 / HOURS_PER_DAY,
                   "DAYS": 1, "WEEKS": 5, "MONTHS": 20, "YEARS": 240}
    if unit not in factors:
        fail(f"unsupported duration unit {unit}")
    days = amount * factors[unit]
    days = round(days, 6)
    return int(days) if days == int(days) else days


RELATION_TYPES = {"FINISH_START": "FS", "START_START": "SS",
                  "FINISH_FINISH": "FF", "START_FINISH": "SF"}


def predecessor_task(relation):
    # MPXJ >= 12.x: getPredecessorTask(); older: getTargetTask()
    if hasattr(relation, "getPredecessorTask"):
        return relation.getPredecessorTask()
    return relation.getTargetTask()


# --------------------------------------------------------------------------- read


def calendar_json(calendar):
    if calendar is None:
        return None
    import jpype

    DayOfWeek = jpype.JClass("java.time.DayOfWeek")
    days = [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY]
    working = [WEEKDAYS[i] for i, d in enumerate(days) if calendar.isWorkingDay(d)]
    if hasattr(calendar, "getExpandedCalendarExceptions"):
        exceptions = calendar.getExpandedCalendarExceptions()  # recurring ones expanded
    else:
        exceptions = calendar.getCalendarExceptions()
    dates = set()
    for exc in exceptions:
        if exc.getWorking():
            continue
        day, last = to_py_date(exc.getFromDate()), to_py_date(exc.getToDate())
        while day <= last:
            dates.add(day.isoformat())
            day += datetime.timedelta(days=1)
    return {"name": jstr(calendar.getName()), "working_days": working,
            "exceptions": sorted(dates)}


def read(path, prefix):
    reader = jclass(prefix, "reader.UniversalProjectReader")()
    project = reader.read(path)
    if project is None:
        fail(f"{path}: not a project file MPXJ recognises")
    tasks = []
    for task in project.getTasks():
        uid = task.getUniqueID()
        name = task.getName()
        if name is None or (uid is not None and int(uid) == 0):
            continue
        preds = []
        for rel in task.getPredecessors():
            other = predecessor_task(rel)
            lag = duration_days(rel.getLag())
            preds.append({"uid": int(other.getUniqueID()),
                          "type": RELATION_TYPES.get(str(rel.getType().name()),
                                                     str(rel.getType().name())),
                          "lag_days": lag if lag is not None else 0})
        resources = []
        for assignment in task.getResourceAssignments():
            res = assignment.getResource()
            if res is not None and res.getName() is not None:
                resources.append(str(res.getName()))
        notes = jstr(task.getNotes())
        tasks.append({
            "uid": None if uid is None else int(uid),
            "id": None if task.getID() is None else int(task.getID()),
            "name": str(name),
            "start": to_date(task.getStart()),
            "finish": to_date(task.getFinish()),
            "duration_days": duration_days(task.getDuration()),
            "milestone": bool(task.getMilestone()),
            "summary": bool(task.getSummary()),
            "deadline": to_date(task.getDeadline()),
            "predecessors": preds,
            "resources": resources,
            "outline_level": None if task.getOutlineLevel() is None
            else int(task.getOutlineLevel()),
            "notes": notes if notes else None,
            "wbs": jstr(task.getWBS()) or None,
        })
    return {
        "tasks": tasks,
        "calendar": calendar_json(project.getDefaultCalendar()),
        "resources": [str(r.getName()) for r in project.getResources()
                      if r.getName() is not None],
    }


# --------------------------------------------------------------------------- write

PROJECT_START = datetime.date(2027, 1, 11)
HOLIDAY = datetime.date(2027, 1, 18)


def is_work_day(day):
    return day.weekday() < 5 and day != HOLIDAY


def next_work_day(day):
    day += datetime.timedelta(days=1)
    while not is_work_day(day):
        day += datetime.timedelta(days=1)
    return day


def finish_of(start, days):
    """Last work day of a task of `days` (>= 1) work days starting on work day `start`."""
    day = start
    for _ in range(days - 1):
        day = next_work_day(day)
    return day


def write(path, prefix):
    import jpype

    LocalDate = jpype.JClass("java.time.LocalDate")
    LocalDateTime = jpype.JClass("java.time.LocalDateTime")
    ProjectFile = jclass(prefix, "ProjectFile")
    Duration = jclass(prefix, "Duration")
    TimeUnit = jclass(prefix, "TimeUnit")
    RelationType = jclass(prefix, "RelationType")
    Relation = jclass(prefix, "Relation")
    MSPDIWriter = jclass(prefix, "mspdi.MSPDIWriter")

    def ldt(day, hour):
        return LocalDateTime.of(day.year, day.month, day.day, hour, 0)

    project = ProjectFile()
    calendar = project.addDefaultBaseCalendar()  # "Standard": Mon-Fri 08-12, 13-17
    calendar.addCalendarException(LocalDate.of(HOLIDAY.year, HOLIDAY.month, HOLIDAY.day),
                                  LocalDate.of(HOLIDAY.year, HOLIDAY.month, HOLIDAY.day))
    project.setDefaultCalendar(calendar)
    props = project.getProjectProperties()
    props.setStartDate(ldt(PROJECT_START, 8))
    props.setProjectTitle("mpxj_tool fixture")

    dana = project.addResource()
    dana.setName("Dana Scully")
    fox = project.addResource()
    fox.setName("Fox Mulder")

    # name, work days, predecessor name, assigned, deadline
    plan = [
        ("Design", 5, None, dana, None),
        ("Build", 10, "Design", dana, None),
        ("Review", 0, "Build", fox, datetime.date(2027, 2, 12)),
        ("Docs", 3, "Design", fox, None),
    ]
    made, out = {}, []
    for name, days, pred, assigned, deadline in plan:
        if pred is None:
            start = PROJECT_START
        elif days == 0:
            start = made[pred][2]  # milestone sits on its predecessor's finish
        else:
            start = next_work_day(made[pred][2])
        finish = start if days == 0 else finish_of(start, days)
        task = project.addTask()
        task.setName(name)
        task.setDuration(Duration.getInstance(days, TimeUnit.DAYS))
        if days == 0:
            task.setStart(ldt(start, 17))
            task.setFinish(ldt(finish, 17))
            task.setMilestone(True)
        else:
            task.setStart(ldt(start, 8))
            task.setFinish(ldt(finish, 17))
        if deadline is not None:
            task.setDeadline(ldt(deadline, 17))
        if pred is not None:
            task.addPredecessor(Relation.Builder()
                                .predecessorTask(made[pred][0])
                                .type(RelationType.FINISH_START)
                                .lag(Duration.getInstance(0, TimeUnit.DAYS)))
        if assigned is not None:
            a = task.addResourceAssignment(assigned)
            work = Duration.getInstance(days * HOURS_PER_DAY, TimeUnit.HOURS)
            a.setWork(work)
            a.setRemainingWork(work)
            a.setStart(ldt(start, 8))
            a.setFinish(ldt(finish, 17))
        made[name] = (task, start, finish)
        out.append({"name": name, "start": start.isoformat(), "finish": finish.isoformat(),
                    "duration_days": days, "milestone": days == 0,
                    "deadline": None if deadline is None else deadline.isoformat()})

    MSPDIWriter().write(project, path)
    return {"tasks": out}


# --------------------------------------------------------------------------- main


def main(argv):
    if len(argv) != 3 or argv[1] not in ("read", "write"):
        print("usage: mpxj_tool.py read FILE.xml | mpxj_tool.py write OUT.xml",
              file=sys.stderr)
        return 2
    command, path = argv[1], argv[2]
    if command == "read" and not os.path.isfile(path):
        fail(f"{path}: no such file")
    prefix = start_jvm()
    try:
        result = read(path, prefix) if command == "read" else write(path, prefix)
    except SystemExit:
        raise
    except Exception as err:  # Java exceptions surface as jpype JException (an Exception)
        fail(f"{command} {path}: {err}")
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
