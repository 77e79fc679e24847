using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>VehicleControlAPI</c>: engine, fuel, doors, climate, lights, brakes, cruise control, navigation,
/// tyres, unit conversions and a small distance table.</summary>
/// <remarks>
/// Public state is 19 car fields plus <c>long_context</c>; the parking-brake force, slope angle and brake-pedal force
/// are private (not compared). Speeds and outside temperatures come from <c>random.Random(141053)</c>'s
/// <c>uniform</c>. <c>remainingUnlockedDoors</c> is recomputed from the door status on load, as in BFCL.
/// </remarks>
internal sealed class VehicleControlApi : BfclApi
{
    private static readonly object MaxFuelLevel = Py.Int(50);
    private const double MinFuelLevel = 0.0;
    private const double MilePerGallon = 20.0;

    private PyRandom _random = new(141053);
    private object? _fuelLevel;
    private object? _batteryVoltage;
    private object? _engineState;
    private object? _remainingUnlockedDoors;
    private object? _doorStatus;
    private object? _acTemperature;
    private object? _fanSpeed;
    private object? _acMode;
    private object? _humidityLevel;
    private object? _headLightStatus;
    private object? _parkingBrakeStatus;
    private object? _parkingBrakeForce;
    private object? _slopeAngle;
    private object? _brakePedalStatus;
    private object? _brakePedalForce;
    private object? _distanceToNextVehicle;
    private object? _cruiseStatus;
    private object? _destination;
    private object? _frontLeftTirePressure;
    private object? _frontRightTirePressure;
    private object? _rearLeftTirePressure;
    private object? _rearRightTirePressure;
    private object? _longContext;

    private static readonly BfclMethodTable<VehicleControlApi> Table = new("VehicleControlAPI", table =>
    {
        table.Add("startEngine", [P("ignitionMode")], (s, a) => s.StartEngine(a[0]));
        table.Add("fillFuelTank", [P("fuelAmount")], (s, a) => s.FillFuelTank(a[0]));
        table.Add("lockDoors", [P("unlock"), P("door")], (s, a) => s.LockDoors(a[0], a[1]));
        table.Add("adjustClimateControl", [P("temperature"), P("unit", "celsius"), P("fanSpeed", 50), P("mode", "auto")], (s, a) => s.AdjustClimate(a[0], a[1], a[2], a[3]));
        table.Add("get_outside_temperature_from_google", [], (s, _) => s.OutsideTemperature());
        table.Add("get_outside_temperature_from_weather_com", [], (s, _) => Py.Dict(("error", 404)));
        table.Add("setHeadlights", [P("mode")], (s, a) => s.SetHeadlights(a[0]));
        table.Add("displayCarStatus", [P("option")], (s, a) => s.DisplayStatus(a[0]));
        table.Add("activateParkingBrake", [P("mode")], (s, a) => s.ParkingBrake(a[0]));
        table.Add("pressBrakePedal", [P("pedalPosition")], (s, a) => s.PressBrake(a[0]));
        table.Add("releaseBrakePedal", [], (s, _) => s.ReleaseBrake());
        table.Add("setCruiseControl", [P("speed"), P("activate"), P("distanceToNextVehicle")], (s, a) => s.CruiseControl(a[0], a[1], a[2]));
        table.Add("get_current_speed", [], (s, _) => Py.Dict(("currentSpeed", s._random.Uniform(0.0, 120.0))));
        table.Add("display_log", [P("messages")], (s, a) => Py.Dict(("log", a[0])));
        table.Add("estimate_drive_feasibility_by_mileage", [P("distance")], (s, a) => Py.Dict(("canDrive", !Py.Lt(PyOps.Mul(s._fuelLevel, MilePerGallon), a[0]))));
        table.Add("liter_to_gallon", [P("liter")], (s, a) => Py.Dict(("gallon", PyOps.Mul(a[0], 0.264172))));
        table.Add("gallon_to_liter", [P("gallon")], (s, a) => Py.Dict(("liter", PyOps.Mul(a[0], 3.78541))));
        table.Add("estimate_distance", [P("cityA"), P("cityB")], (s, a) => s.EstimateDistance(a[0], a[1]));
        table.Add("get_zipcode_based_on_city", [P("city")], (s, a) => Py.Dict(("zipcode", Zipcode(a[0]))));
        table.Add("set_navigation", [P("destination")], (s, a) => s.SetNavigation(a[0]));
        table.Add("check_tire_pressure", [], (s, _) => s.TirePressure());
        table.Add("find_nearest_tire_shop", [], (s, _) => Py.Dict(("shopLocation", "456 Oakwood Avenue, Rivermist, 83214")));
    });

    public VehicleControlApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "VehicleControlAPI";

    public override IEnumerable<(string Name, object? Value)> State() =>
    [
        ("fuelLevel", _fuelLevel), ("batteryVoltage", _batteryVoltage), ("engine_state", _engineState),
        ("remainingUnlockedDoors", _remainingUnlockedDoors), ("doorStatus", _doorStatus), ("acTemperature", _acTemperature),
        ("fanSpeed", _fanSpeed), ("acMode", _acMode), ("humidityLevel", _humidityLevel), ("headLightStatus", _headLightStatus),
        ("parkingBrakeStatus", _parkingBrakeStatus), ("brakePedalStatus", _brakePedalStatus),
        ("distanceToNextVehicle", _distanceToNextVehicle), ("cruiseStatus", _cruiseStatus), ("destination", _destination),
        ("frontLeftTirePressure", _frontLeftTirePressure), ("frontRightTirePressure", _frontRightTirePressure),
        ("rearLeftTirePressure", _rearLeftTirePressure), ("rearRightTirePressure", _rearRightTirePressure),
        ("long_context", _longContext),
    ];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _random = new PyRandom(MessageApi.SeedOf(Get(scenario, "random_seed", 141053)));
        _fuelLevel = Get(scenario, "fuelLevel", 0.0);
        _batteryVoltage = Get(scenario, "batteryVoltage", 12.6);
        _engineState = Get(scenario, "engineState", "stopped");
        _remainingUnlockedDoors = Get(scenario, "remainingUnlockedDoors", 4);
        _doorStatus = Get(scenario, "doorStatus", Py.Dict(("driver", "unlocked"), ("passenger", "unlocked"), ("rear_left", "unlocked"), ("rear_right", "unlocked")));
        var doors = AsDict(_doorStatus, "keys");
        _remainingUnlockedDoors = PyOps.Sub(Py.Int(4), Py.Int(doors.Keys.Count(d => Py.Equal(doors[d], "locked"))));
        _acTemperature = Get(scenario, "acTemperature", 25.0);
        _fanSpeed = Get(scenario, "fanSpeed", 50);
        _acMode = Get(scenario, "acMode", "auto");
        _humidityLevel = Get(scenario, "humidityLevel", 50.0);
        _headLightStatus = Get(scenario, "headLightStatus", "off");
        _parkingBrakeStatus = Get(scenario, "parkingBrakeStatus", "released");
        _parkingBrakeForce = Get(scenario, "parkingBrakeForce", 0.0);
        _slopeAngle = Get(scenario, "slopeAngle", 0.0);
        _brakePedalStatus = Get(scenario, "brakePedalStatus", "released");
        _brakePedalForce = Get(scenario, "brakePedalForce", 0.0);
        _distanceToNextVehicle = Get(scenario, "distanceToNextVehicle", 50.0);
        _cruiseStatus = Get(scenario, "cruiseStatus", "inactive");
        _destination = Get(scenario, "destination", "None");
        _frontLeftTirePressure = Get(scenario, "frontLeftTirePressure", 32.0);
        _frontRightTirePressure = Get(scenario, "frontRightTirePressure", 32.0);
        _rearLeftTirePressure = Get(scenario, "rearLeftTirePressure", 30.0);
        _rearRightTirePressure = Get(scenario, "rearRightTirePressure", 30.0);
        _longContext = longContext;
    }

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private PyDict StartEngine(object? mode)
    {
        if (Py.Equal(mode, "STOP")) _engineState = "stopped";
        if (Py.Gt(_remainingUnlockedDoors, Py.Int(0)))
        {
            var unlocked = AsDict(_doorStatus, "items").Items().Where(p => Py.Equal(p.Value, "unlocked")).Select(p => p.Key);
            return Error("All doors must be locked before starting the engine. Here are the unlocked doors: " + PyStr.Join(", ", new PyList(unlocked.ToList())));
        }
        if (!Py.Equal(_brakePedalStatus, "pressed")) return Error("Brake pedal needs to be pressed when starting the engine.");
        if (!Py.Equal(_brakePedalForce, 1000.0)) return Error("Must press the brake fully before starting the engine.");
        if (Py.Lt(_fuelLevel, MinFuelLevel)) return Error("Fuel tank is empty.");
        if (Py.Equal(mode, "START")) _engineState = "running";
        else return Error("Invalid ignition mode.");
        return Py.Dict(("engineState", _engineState), ("fuelLevel", _fuelLevel), ("batteryVoltage", _batteryVoltage));
    }

    private PyDict FillFuelTank(object? amount)
    {
        if (Py.Lt(amount, Py.Int(0))) return Error("Fuel amount cannot be negative.");
        if (Py.Gt(PyOps.Add(_fuelLevel, amount), MaxFuelLevel)) return Error("Cannot fill gas above the tank capacity.");
        if (Py.Lt(PyOps.Add(_fuelLevel, amount), MinFuelLevel)) return Error("Fuel tank is empty. Min fuel level is 0 gallons.");
        _fuelLevel = PyOps.Add(_fuelLevel, amount);
        return Py.Dict(("fuelLevel", _fuelLevel));
    }

    private PyDict LockDoors(object? unlock, object? doors)
    {
        var target = Py.Truthy(unlock) ? "unlocked" : "locked";
        foreach (var d in Py.Iter(doors))
        {
            if (Py.Equal(Item(_doorStatus, d), target)) continue;
            SetItem(_doorStatus, d, target);
            _remainingUnlockedDoors = Py.Truthy(unlock) ? PyOps.Add(_remainingUnlockedDoors, Py.Int(1)) : PyOps.Sub(_remainingUnlockedDoors, Py.Int(1));
        }
        return Py.Dict(("lockStatus", target), ("remainingUnlockedDoors", _remainingUnlockedDoors));
    }

    private PyDict AdjustClimate(object? temperature, object? unit, object? fanSpeed, object? mode)
    {
        if (!(Py.Le(Py.Int(0), fanSpeed) && Py.Le(fanSpeed, Py.Int(100)))) return Error("Fan speed must be between 0 and 100.");
        _acTemperature = temperature;
        if (Py.Equal(unit, "fahrenheit")) _acTemperature = PyOps.TrueDiv(PyOps.Mul(PyOps.Sub(temperature, Py.Int(32)), Py.Int(5)), Py.Int(9));
        _fanSpeed = fanSpeed;
        _acMode = mode;
        return Py.Dict(("currentACTemperature", temperature), ("climateMode", mode), ("humidityLevel", _humidityLevel));
    }

    private PyDict OutsideTemperature()
    {
        if (Py.Truthy(_longContext))
        {
            var weather = Runtime.LongWeatherExtension;
            weather["outsideTemperature"] = _random.Uniform(-10.0, 40.0);
            return weather;
        }
        return Py.Dict(("outsideTemperature", _random.Uniform(-10.0, 40.0)));
    }

    private PyDict SetHeadlights(object? mode)
    {
        if (!Py.Contains(Py.List("on", "off", "auto"), mode)) return Error("Invalid headlight mode.");
        if (Py.Equal(mode, "on"))
        {
            _headLightStatus = "on";
            return Py.Dict(("headlightStatus", "on"));
        }
        _headLightStatus = "off";
        return Py.Dict(("headlightStatus", "off"));
    }

    private PyDict DisplayStatus(object? option)
    {
        var status = new PyDict();
        if (Py.Truthy(_longContext)) status["metadata"] = Runtime.Constant("CAR_STATUS_METADATA_EXTENSION");
        if (Py.Equal(option, "fuel")) status["fuelLevel"] = _fuelLevel;
        else if (Py.Equal(option, "battery")) status["batteryVoltage"] = _batteryVoltage;
        else if (Py.Equal(option, "doors")) status["doorStatus"] = _doorStatus;
        else if (Py.Equal(option, "climate"))
        {
            status["currentACTemperature"] = _acTemperature;
            status["fanSpeed"] = _fanSpeed;
            status["climateMode"] = _acMode;
            status["humidityLevel"] = _humidityLevel;
        }
        else if (Py.Equal(option, "headlights")) status["headlightStatus"] = _headLightStatus;
        else if (Py.Equal(option, "parkingBrake"))
        {
            status["parkingBrakeStatus"] = _parkingBrakeStatus;
            status["parkingBrakeForce"] = _parkingBrakeForce;
            status["slopeAngle"] = _slopeAngle;
        }
        else if (Py.Equal(option, "brakePedal"))
        {
            status["brakePedalStatus"] = _brakePedalStatus;
            status["brakePedalForce"] = _brakePedalForce;
        }
        else if (Py.Equal(option, "engine")) status["engineState"] = _engineState;
        else status["error"] = "Invalid option";
        return status;
    }

    private PyDict ParkingBrake(object? mode)
    {
        if (!Py.Contains(Py.List("engage", "release"), mode)) return Error("Invalid mode");
        var engage = Py.Equal(mode, "engage");
        var state = engage ? "engaged" : "released";
        var force = engage ? 500.0 : 0.0;
        _parkingBrakeStatus = state;
        _parkingBrakeForce = force;
        _slopeAngle = 10.0;
        return Py.Truthy(_longContext)
            ? Py.Dict(("parkingBrakeInstruction", Runtime.Constant("PARKING_BRAKE_INSTRUCTION")), ("parkingBrakeStatus", state),
                ("_parkingBrakeForce", force), ("_slopeAngle", 10.0))
            : Py.Dict(("parkingBrakeStatus", state), ("_parkingBrakeForce", force), ("_slopeAngle", 10.0));
    }

    private PyDict PressBrake(object? position)
    {
        if (!(Py.Le(Py.Int(0), position) && Py.Le(position, Py.Int(1)))) return Error("Pedal position must be between 0 and 1.");
        if (Py.Equal(position, Py.Int(0)))
        {
            _brakePedalStatus = "released";
            _brakePedalForce = 0.0;
            return Py.Dict(("brakePedalStatus", "released"), ("brakePedalForce", 0.0));
        }
        var force = PyOps.Mul(position, Py.Int(1000));
        _brakePedalStatus = "pressed";
        _brakePedalForce = force;
        return Py.Dict(("brakePedalStatus", "pressed"), ("brakePedalForce", PyOps.Float(force)));
    }

    private PyDict ReleaseBrake()
    {
        _brakePedalStatus = "released";
        _brakePedalForce = 0.0;
        return Py.Dict(("brakePedalStatus", "released"), ("brakePedalForce", 0.0));
    }

    private PyDict CruiseControl(object? speedArgument, object? activate, object? distanceArgument)
    {
        var distance = PyOps.Float(distanceArgument);
        var speed = PyOps.Float(speedArgument);
        if (Py.Equal(_engineState, "stopped")) return Error("Start the engine before activating the cruise control.");
        if (Py.Truthy(activate))
        {
            _distanceToNextVehicle = distance;
            if (speed < 0 || speed > 120 || !Py.Equal(PyOps.Mod(speed, Py.Int(5)), Py.Int(0))) return Error("Invalid speed");
            _cruiseStatus = "active";
            return Py.Dict(("cruiseStatus", "active"), ("currentSpeed", speed), ("distanceToNextVehicle", distance));
        }
        _cruiseStatus = "inactive";
        _distanceToNextVehicle = distance;
        return Py.Dict(("cruiseStatus", "inactive"), ("currentSpeed", speed), ("distanceToNextVehicle", distance));
    }

    private static readonly (string A, string B, double Distance)[] Distances =
    [
        ("83214", "74532", 750.0), ("56108", "62947", 320.0), ("71354", "83462", 450.0), ("47329", "52013", 290.0),
        ("69238", "51479", 630.0), ("94016", "83214", 980.0), ("94016", "94704", 600.0), ("94704", "08540", 2550.0),
        ("94016", "08540", 1950.0), ("62947", "47329", 1053.0), ("94016", "62947", 780.0), ("74532", "94016", 880.0),
    ];

    private PyDict EstimateDistance(object? cityA, object? cityB)
    {
        PyDict? distance = null;
        foreach (var (a, b, km) in Distances)
        {
            if (Py.Equal(cityA, a) && Py.Equal(cityB, b) || Py.Equal(cityA, b) && Py.Equal(cityB, a))
            {
                distance = Py.Dict(("distance", km));
                break;
            }
        }
        distance ??= Error("distance not found in database.");
        if (Py.Truthy(_longContext)) distance["intermediaryCities"] = Runtime.Constant("INTERMEDIARY_CITIES");
        return distance;
    }

    private static readonly (string City, string Zip)[] Zipcodes =
    [
        ("Rivermist", "83214"), ("Stonebrook", "74532"), ("Maplecrest", "56108"), ("Silverpine", "62947"), ("Shadowridge", "71354"),
        ("Sunset Valley", "83462"), ("Oakendale", "47329"), ("Willowbend", "52013"), ("Crescent Hollow", "69238"),
        ("Autumnville", "51479"), ("San Francisco", "94016"),
    ];

    private static string Zipcode(object? city) => Zipcodes.Where(z => Py.Equal(city, z.City)).Select(z => z.Zip).FirstOrDefault() ?? "00000";

    private PyDict SetNavigation(object? destination)
    {
        _destination = destination;
        return Py.Dict(("status", PyOps.Add("Navigating to ", destination)));
    }

    private PyDict TirePressure()
    {
        var sum = PyOps.Add(PyOps.Add(PyOps.Add(_frontLeftTirePressure, _frontRightTirePressure), _rearLeftTirePressure), _rearRightTirePressure);
        var average = PyOps.TrueDiv(sum, Py.Int(4));
        var healthy = Py.Le(Py.Int(30), average) && Py.Le(average, Py.Int(35));
        var status = Py.Dict(("frontLeftTirePressure", _frontLeftTirePressure), ("frontRightTirePressure", _frontRightTirePressure),
            ("rearLeftTirePressure", _rearLeftTirePressure), ("rearRightTirePressure", _rearRightTirePressure),
            ("healthy_tire_pressure", healthy), ("car_info", new PyDict()));
        if (Py.Truthy(_longContext)) status["car_info"] = Runtime.Constant("CAR_STATUS_METADATA_EXTENSION");
        return status;
    }
}
